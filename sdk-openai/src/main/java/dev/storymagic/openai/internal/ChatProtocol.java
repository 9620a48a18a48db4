package dev.storymagic.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.ChatMessage;
import dev.storymagic.ModelFailureException;
import dev.storymagic.Prompt;
import dev.storymagic.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The Chat Completions wire format: the request body, and the pieces of a response (a whole
 * completion or one streamed chunk) the model needs.
 */
public final class ChatProtocol {
  /** The schema name sent in {@code response_format}; must match {@code ^[a-zA-Z0-9_-]{1,64}$}. */
  public static final String SCHEMA_NAME = "children_story";

  /** Appended to the system message when the JSON schema, not the plain-text layout, governs the answer. */
  static final String STRUCTURED_NOTE = "\n\nOutput format: instead of the plain-text layout above, answer with one JSON "
      + "object matching the given schema: \"title\" holds the title, \"paragraphs\" holds the story's paragraphs in "
      + "order, one string each, without markup.";

  private final ObjectMapper json;

  public ChatProtocol(ObjectMapper json) {
    this.json = json;
  }

  /** What varies between requests of one model besides the prompt. */
  public record Options(String model, OptionalDouble temperature, int maxOutputTokens,
      dev.storymagic.openai.TokenLimitField tokenLimitField, Optional<String> user) {}

  /**
   * The request body. Streaming asks for the plain-text layout with usage in the last chunk;
   * otherwise {@code structured} selects a strict JSON-schema {@code response_format}.
   */
  public ObjectNode requestBody(Prompt prompt, Options options, boolean stream, boolean structured) {
    ObjectNode body = json.createObjectNode();
    body.put("model", options.model());
    ArrayNode messages = body.putArray("messages");
    boolean jsonAnswer = structured && !stream;
    boolean noted = false;
    for (ChatMessage m : prompt.messages()) {
      String content = m.content();
      if (jsonAnswer && !noted && m.role() == ChatMessage.Role.SYSTEM) {
        content = content + STRUCTURED_NOTE;
        noted = true;
      }
      messages.addObject().put("role", m.role().wireName()).put("content", content);
    }
    if (jsonAnswer && !noted) {
      messages.insertObject(0).put("role", "system").put("content", STRUCTURED_NOTE.strip());
    }
    options.temperature().ifPresent(t -> body.put("temperature", t));
    body.put(options.tokenLimitField().wireName(), options.maxOutputTokens());
    options.user().ifPresent(u -> body.put("user", u));
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    } else if (jsonAnswer) {
      body.set("response_format", responseFormat());
    }
    return body;
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
    props.putObject("title").put("type", "string").put("description", "The story's title, without quotes or markup.");
    ObjectNode paragraphs = props.putObject("paragraphs").put("type", "array")
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
    return new TokenUsage(Math.max(0, usage.path("prompt_tokens").asLong(0)),
        Math.max(0, usage.path("completion_tokens").asLong(0)));
  }

  /** A parsed non-streamed completion. */
  public record Completion(String content, String finishReason, Optional<String> refusal, TokenUsage usage,
      Optional<String> model) {}

  /** Reads a non-streamed completion; throws {@code invalid(...)} failures for what cannot be used. */
  public Completion completion(String bodyText, ProviderErrors errors) {
    if (bodyText.isBlank()) {
      throw errors.invalid("an empty response body", null);
    }
    JsonNode root;
    try {
      root = json.readTree(bodyText);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw errors.invalid("malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw errors.invalid("a response that is not a JSON object", null);
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw errors.invalid("a completion with no choices", null);
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.path("message");
    String content = message.path("content").isTextual() ? message.path("content").asText() : "";
    Optional<String> refusal = message.path("refusal").isTextual() && !message.path("refusal").asText().isBlank()
        ? Optional.of(message.path("refusal").asText()) : Optional.empty();
    return new Completion(content, choice.path("finish_reason").asText(""), refusal, usage(root),
        textOf(root.path("model")));
  }

  /** The story fields of an answer, whether it came as JSON or in the plain-text layout. */
  public record StoryFields(String title, List<String> paragraphs) {}

  /** What to tell an operator whose server answers in a shape the model cannot read. */
  static final String FIX = "; if this server ignores the json_schema response_format, build the model with "
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
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw errors.invalid("an answer that starts like JSON but is not valid JSON: " + e.getOriginalMessage() + FIX, e);
    }
    if (root == null || !root.isObject()) {
      throw errors.invalid("a JSON answer that is not an object" + FIX, null);
    }
    String title = root.path("title").isTextual() ? PlainTextStory.cleanTitle(root.path("title").asText()) : "";
    List<String> paragraphs = new ArrayList<>();
    if (root.path("paragraphs").isArray()) {
      for (JsonNode p : root.path("paragraphs")) {
        if (!p.isTextual()) {
          throw errors.invalid("a structured answer whose paragraphs are not all strings" + FIX, null);
        }
        String s = p.asText().strip();
        if (!s.isEmpty()) {
          paragraphs.add(s);
        }
      }
    } else {
      Optional<String> body = textOf(root.path("story")).or(() -> textOf(root.path("text")))
          .or(() -> textOf(root.path("content")));
      if (body.isEmpty()) {
        throw errors.invalid("a JSON answer without the \"title\" and \"paragraphs\" fields" + FIX, null);
      }
      paragraphs.addAll(PlainTextStory.paragraphsOf(body.get()));
    }
    return new StoryFields(title, paragraphs);
  }

  /** Fails for a finish reason that means the story cannot be used. */
  public static void checkFinish(String finishReason, String who) {
    if ("length".equals(finishReason)) {
      throw new ModelFailureException(ModelFailureException.Reason.TRUNCATED,
          who + " stopped at the output token limit (finish_reason \"length\"); the story is incomplete", 200, null);
    }
    if ("content_filter".equals(finishReason)) {
      throw new ModelFailureException(ModelFailureException.Reason.CONTENT_FILTERED,
          who + "'s content filter stopped the story (finish_reason \"content_filter\")", 200, null);
    }
  }

  static Optional<String> textOf(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
  }
}
