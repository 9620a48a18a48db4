package dev.storymagic.openai.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.Prompt;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import okio.Buffer;

/**
 * The Chat Completions wire format: the request body, and the pieces of a response (a whole
 * completion or one streamed chunk) the model needs.
 */
public final class ChatProtocol {
  /** The schema name sent in {@code response_format}; must match {@code ^[a-zA-Z0-9_-]{1,64}$}. */
  public static final String SCHEMA_NAME = "children_story";

  /**
   * Appended to the system message when the JSON schema, not the plain-text layout, governs the
   * answer.
   */
  static final String STRUCTURED_NOTE =
      "\n\nOutput format: instead of the plain-text layout above, answer with one JSON "
          + "object matching the given schema: \"title\" holds the title, \"paragraphs\" holds the story's paragraphs in "
          + "order, one string each, without markup.";

  private final ObjectMapper json;
  private final String responseFormat;

  public ChatProtocol(ObjectMapper json) {
    this.json = json;
    this.responseFormat = responseFormat().toString();
  }

  /** What varies between requests of one model besides the prompt. */
  public record Options(
      String model,
      OptionalDouble temperature,
      int maxOutputTokens,
      dev.storymagic.openai.TokenLimitField tokenLimitField,
      Optional<String> user) {}

  /**
   * The request body. Streaming asks for the plain-text layout with usage in the last chunk;
   * otherwise {@code structured} selects a strict JSON-schema {@code response_format}. Written with
   * Jackson's generator straight to bytes; the response format, the same in every request, is
   * serialised once.
   */
  public byte[] requestBody(Prompt prompt, Options options, boolean stream, boolean structured) {
    // Okio's pooled segments, then one copy: the bytes stay replayable for a retried connection.
    Buffer out = new Buffer();
    try (JsonGenerator g = json.getFactory().createGenerator(out.outputStream())) {
      g.writeStartObject();
      g.writeStringField("model", options.model());
      g.writeArrayFieldStart("messages");
      boolean jsonAnswer = structured && !stream;
      boolean noted =
          !jsonAnswer
              || prompt.messages().stream().noneMatch(m -> m.role() == ChatMessage.Role.SYSTEM);
      if (jsonAnswer && noted) {
        message(g, "system", STRUCTURED_NOTE.strip());
      }
      for (ChatMessage m : prompt.messages()) {
        String content = m.content();
        if (!noted && m.role() == ChatMessage.Role.SYSTEM) {
          content = content + STRUCTURED_NOTE;
          noted = true;
        }
        message(g, m.role().wireName(), content);
      }
      g.writeEndArray();
      if (options.temperature().isPresent()) {
        g.writeNumberField("temperature", options.temperature().getAsDouble());
      }
      g.writeNumberField(options.tokenLimitField().wireName(), options.maxOutputTokens());
      if (options.user().isPresent()) {
        g.writeStringField("user", options.user().get());
      }
      if (stream) {
        g.writeBooleanField("stream", true);
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      } else if (jsonAnswer) {
        g.writeFieldName("response_format");
        g.writeRawValue(responseFormat);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
    return out.readByteArray();
  }

  private static void message(JsonGenerator g, String role, String content) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", role);
    g.writeStringField("content", content);
    g.writeEndObject();
  }

  private ObjectNode responseFormat() {
    ObjectNode format = json.createObjectNode().put("type", "json_schema");
    ObjectNode schemaSpec = format.putObject("json_schema");
    schemaSpec.put("name", SCHEMA_NAME);
    schemaSpec.put("description", "A children's story: its title and its paragraphs in order.");
    schemaSpec.put("strict", true);
    ObjectNode schema = schemaSpec.putObject("schema");
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    props
        .putObject("title")
        .put("type", "string")
        .put("description", "The story's title, without quotes or markup.");
    ObjectNode paragraphs =
        props
            .putObject("paragraphs")
            .put("type", "array")
            .put("description", "The story body, one paragraph per item.");
    paragraphs.putObject("items").put("type", "string");
    schema.putArray("required").add("title").add("paragraphs");
    schema.put("additionalProperties", false);
    return format;
  }

  /** The usage object of a completion or of the last streamed chunk; zero when absent. */
  public static TokenUsage usage(JsonNode root) {
    JsonNode usage = root.path("usage");
    if (!usage.isObject()) {
      return TokenUsage.NONE;
    }
    return new TokenUsage(
        Math.max(0, usage.path("prompt_tokens").asLong(0)),
        Math.max(0, usage.path("completion_tokens").asLong(0)));
  }

  /** A parsed non-streamed completion. */
  public record Completion(
      String content,
      String finishReason,
      Optional<String> refusal,
      TokenUsage usage,
      Optional<String> model) {}

  /**
   * Reads a non-streamed completion; throws {@code invalid(...)} failures for what cannot be used.
   */
  public Completion completion(String bodyText, ProviderErrors errors) {
    if (bodyText.isBlank()) {
      throw errors.invalid("an empty response body", null);
    }
    try (JsonParser parser = json.getFactory().createParser(bodyText)) {
      return completion(parser, errors);
    } catch (IOException e) {
      throw malformed(e, errors);
    }
  }

  /**
   * Reads a non-streamed completion straight from a response body, with Jackson's streaming parser:
   * no body string and no JSON tree, only the fields used are kept.
   */
  public Completion completion(InputStream body, ProviderErrors errors) {
    try (JsonParser parser = json.getFactory().createParser(body)) {
      return completion(parser, errors);
    } catch (IOException e) {
      throw malformed(e, errors);
    }
  }

  private static RuntimeException malformed(IOException e, ProviderErrors errors) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return errors.invalid("malformed JSON: " + message, e);
  }

  private static Completion completion(JsonParser p, ProviderErrors errors) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      throw errors.invalid("an empty response body", null);
    }
    if (first != JsonToken.START_OBJECT) {
      throw errors.invalid("a response that is not a JSON object", null);
    }
    boolean sawChoice = false;
    String content = "";
    String refusal = null;
    String finish = "";
    TokenUsage usage = TokenUsage.NONE;
    Optional<String> model = Optional.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
        Optional<FirstChoice> choice = firstChoice(p, "message");
        if (choice.isPresent()) {
          sawChoice = true;
          content = Objects.requireNonNullElse(choice.get().content(), content);
          refusal = choice.get().refusal();
          finish = Objects.requireNonNullElse(choice.get().finish(), finish);
        }
      } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
        usage = ChatStream.usage(p);
      } else if ("model".equals(field)
          && value == JsonToken.VALUE_STRING
          && !p.getText().isBlank()) {
        model = Optional.of(p.getText());
      } else {
        p.skipChildren();
      }
    }
    if (!sawChoice) {
      throw errors.invalid("a completion with no choices", null);
    }
    Optional<String> refused =
        refusal != null && !refusal.isBlank() ? Optional.of(refusal) : Optional.empty();
    return new Completion(content, finish, refused, usage, model);
  }

  /**
   * The first choice of a completion or of a stream chunk: the text and refusal of its {@code
   * message} or {@code delta} object and its finish reason, each {@code null} when absent.
   */
  public record FirstChoice(String content, String refusal, String finish) {}

  /**
   * Reads a {@code choices} array (the parser on its opening bracket) up to its closing bracket:
   * the first choice's {@code part} object ({@code "message"} in a completion, {@code "delta"} in a
   * stream chunk) and finish reason; later choices are skipped. Empty for an empty array.
   */
  public static Optional<FirstChoice> firstChoice(JsonParser p, String part) throws IOException {
    JsonToken choice = p.nextToken();
    if (choice == JsonToken.END_ARRAY) {
      return Optional.empty();
    }
    String content = null;
    String refusal = null;
    String finish = null;
    if (choice == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (part.equals(name) && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_STRING && "content".equals(field)) {
              content = p.getText();
            } else if (t == JsonToken.VALUE_STRING && "refusal".equals(field)) {
              refusal = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else if ("finish_reason".equals(name) && v == JsonToken.VALUE_STRING) {
          finish = p.getText();
        } else {
          p.skipChildren();
        }
      }
    } else {
      p.skipChildren();
    }
    // Later choices are not read.
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
    return Optional.of(new FirstChoice(content, refusal, finish));
  }

  /** The story fields of an answer, whether it came as JSON or in the plain-text layout. */
  public record StoryFields(String title, List<String> paragraphs) {}

  /** What to tell an operator whose server answers in a shape the model cannot read. */
  static final String FIX =
      "; if this server ignores the json_schema response_format, build the model with "
          + "structuredOutput(false) (see the server table in the storymagic-openai README)";

  /**
   * Reads a story from a message's content, whatever shape it came in: the JSON object asked for by
   * structured output (also inside a Markdown code fence), or the templates' plain-text layout,
   * which servers that ignore {@code response_format} answer with. Fails, naming the fix, for an
   * empty answer or JSON that holds no story.
   */
  public StoryFields story(String content, ProviderErrors errors) {
    String text = unfenced(content.strip());
    if (text.isEmpty()) {
      throw errors.invalid("an empty answer" + FIX, null);
    }
    if (text.startsWith("{")) {
      return storyFields(text, errors);
    }
    // Prose inside a code fence is read without the fence lines.
    PlainTextStory prose = PlainTextStory.parse(text);
    return new StoryFields(prose.title(), prose.paragraphs());
  }

  /** Whether streamed content that starts with {@code text} is JSON rather than prose. */
  public static boolean looksLikeJson(String text) {
    String t = text.stripLeading();
    return t.startsWith("{") || t.startsWith("```");
  }

  private static String unfenced(String text) {
    if (text.startsWith("```")) {
      int firstLine = text.indexOf('\n');
      int fenceEnd = text.lastIndexOf("```");
      if (firstLine > 0 && fenceEnd > firstLine) {
        return text.substring(firstLine + 1, fenceEnd).strip();
      }
    }
    return text;
  }

  /**
   * Reads the JSON answer: {@code title} and {@code paragraphs} (an array of strings), or a single
   * {@code story}/{@code text}/{@code content} string split at blank lines, which some servers
   * produce when they only honour {@code json_object}.
   */
  StoryFields storyFields(String content, ProviderErrors errors) {
    String text = unfenced(content.strip());
    String title = null;
    List<String> paragraphs = null;
    boolean nonText = false;
    Optional<String> story = Optional.empty();
    Optional<String> plain = Optional.empty();
    Optional<String> contentField = Optional.empty();
    try (JsonParser p = json.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw errors.invalid("a JSON answer that is not an object" + FIX, null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("title".equals(field) && value == JsonToken.VALUE_STRING) {
          title = p.getText();
        } else if ("paragraphs".equals(field) && value == JsonToken.START_ARRAY) {
          paragraphs = new ArrayList<>();
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING) {
              nonText = true;
              p.skipChildren();
              continue;
            }
            String s = p.getText().strip();
            if (!s.isEmpty()) {
              paragraphs.add(s);
            }
          }
        } else if (value == JsonToken.VALUE_STRING
            && ("story".equals(field) || "text".equals(field) || "content".equals(field))) {
          Optional<String> v = p.getText().isBlank() ? Optional.empty() : Optional.of(p.getText());
          switch (field) {
            case "story" -> story = v;
            case "text" -> plain = v;
            default -> contentField = v;
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      String message =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw errors.invalid(
          "an answer that starts like JSON but is not valid JSON: " + message + FIX, e);
    }
    String cleanTitle = title == null ? "" : PlainTextStory.cleanTitle(title);
    if (paragraphs != null) {
      if (nonText) {
        throw errors.invalid(
            "a structured answer whose paragraphs are not all strings" + FIX, null);
      }
      return new StoryFields(cleanTitle, paragraphs);
    }
    Optional<String> body = story.isPresent() ? story : plain.isPresent() ? plain : contentField;
    if (body.isEmpty()) {
      throw errors.invalid(
          "a JSON answer without the \"title\" and \"paragraphs\" fields" + FIX, null);
    }
    return new StoryFields(cleanTitle, PlainTextStory.paragraphsOf(body.get()));
  }

  /** Fails for a finish reason that means the story cannot be used. */
  public static void checkFinish(String finishReason, String who) {
    if ("length".equals(finishReason)) {
      throw new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.TRUNCATED,
          who
              + " stopped at the output token limit (finish_reason \"length\"); the story is incomplete",
          200,
          null);
    }
    if ("content_filter".equals(finishReason)) {
      throw new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED,
          who + "'s content filter stopped the story (finish_reason \"content_filter\")",
          200,
          null);
    }
  }

  static Optional<String> textOf(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }
}
