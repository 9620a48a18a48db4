package dev.storymagic.openai.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.ModelStreamListener;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads one streamed completion ({@code stream: true}) event by event as it arrives, on the calling
 * thread: content deltas go through {@link PlainTextStory} to the listener at once, the usage of
 * the last chunk is kept, and the stream must end with {@code data: [DONE]}. Between events it
 * polls the listener (and the thread's interrupt flag); when the consumer went away it cancels the
 * HTTP call and fails with {@link StoryMagicException.Cancelled}.
 *
 * <p>The server-sent events are read straight from the response's buffer: a {@code data:} field's
 * bytes move to an event buffer without copying, and each chunk is read with Jackson's streaming
 * parser, keeping only the fields used; no line strings, no JSON trees.
 */
public final class ChatStream {
  /** The longest line accepted in a stream: far above any chunk a server sends. */
  static final long MAX_LINE_BYTES = 1024 * 1024;

  private static final ByteString DATA = ByteString.encodeUtf8("data:");
  private static final ByteString DONE = ByteString.encodeUtf8("[DONE]");

  private final ObjectMapper json;
  private final ProviderErrors errors;
  private final ModelStreamListener listener;
  private final HttpTransport.Exchange exchange;
  private final String who;
  private final PlainTextStory story;

  /** Content before the first visible character, then all content when the server streams JSON. */
  private final StringBuilder held = new StringBuilder();

  /** Null until the first visible character; then whether the content is JSON. */
  private Boolean jsonContent;

  private boolean done;
  private boolean sawChoice;
  private String finishReason = "";
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> model = Optional.empty();

  /** What the stream produced. */
  public record Result(
      String title, List<String> paragraphs, TokenUsage usage, Optional<String> model) {}

  public ChatStream(
      ObjectMapper json,
      ProviderErrors errors,
      ModelStreamListener listener,
      HttpTransport.Exchange exchange,
      String who) {
    this.json = json;
    this.errors = errors;
    this.listener = listener;
    this.exchange = exchange;
    this.who = who;
    this.story = new PlainTextStory(listener);
  }

  /**
   * Reads the whole stream from {@code response} (already known to be 2xx) and returns the story.
   */
  public Result read(Response response) {
    MediaType type = response.body().contentType();
    if (type == null || !"text".equals(type.type()) || !"event-stream".equals(type.subtype())) {
      exchange.cancel();
      throw errors.invalid(
          "an unreadable stream: Content-Type " + type + " instead of text/event-stream", null);
    }
    try {
      readEvents(response.body().source());
    } catch (IOException e) {
      if (consumerGone()) {
        throw cancelled();
      }
      throw errors.fromIo(e, false);
    } catch (RuntimeException e) {
      // A failure of the stream's content, or the consumer's own while handling a delta: pass it on
      // unchanged.
      exchange.cancel();
      throw e;
    }
    if (consumerGone()) {
      throw cancelled();
    }
    if (!done) {
      throw errors.invalid("a stream that ended without [DONE]; the story is incomplete", null);
    }
    if (!sawChoice) {
      throw errors.invalid("a stream with no choices", null);
    }
    ChatProtocol.checkFinish(finishReason, who);
    if (Boolean.TRUE.equals(jsonContent)) {
      // Parsed whole, then delivered as the story it holds: the listener never sees JSON.
      ChatProtocol.StoryFields fields = new ChatProtocol(json).story(held.toString(), errors);
      if (fields.paragraphs().isEmpty()) {
        throw errors.invalid("an empty story", null);
      }
      if (!fields.title().isBlank()) {
        listener.onTitle(fields.title());
      }
      listener.onDelta(String.join("\n\n", fields.paragraphs()));
      return new Result(fields.title(), fields.paragraphs(), usage, model);
    }
    if (jsonContent == null) {
      story.accept(held.toString());
    }
    story.finish();
    List<String> paragraphs = story.paragraphs();
    if (paragraphs.isEmpty()) {
      throw errors.invalid("an empty story", null);
    }
    return new Result(story.title(), paragraphs, usage, model);
  }

  private StoryMagicException.Cancelled cancelled() {
    exchange.cancel();
    return new StoryMagicException.Cancelled(
        "the stream from " + who + " was cancelled by its consumer");
  }

  /**
   * Reads events until {@code [DONE]}, the end of the stream or a cancelled consumer. An event is
   * its {@code data:} lines (joined by line feeds), dispatched at the blank line that ends it or at
   * the end of the stream; other fields and comments are skipped.
   */
  private void readEvents(BufferedSource source) throws IOException {
    Buffer data = new Buffer();
    boolean hasData = false;
    while (!consumerGone()) {
      long newline = source.indexOf((byte) '\n', 0, MAX_LINE_BYTES);
      long lineEnd = newline;
      if (newline == -1) {
        if (source.request(MAX_LINE_BYTES)) {
          throw errors.invalid("a stream line longer than " + MAX_LINE_BYTES + " bytes", null);
        }
        // The end of the stream: a last line without its line feed still counts.
        lineEnd = source.getBuffer().size();
        if (lineEnd == 0) {
          if (hasData) {
            dispatch(data);
          }
          return;
        }
      }
      long length = lineEnd;
      if (length > 0 && source.getBuffer().getByte(length - 1) == '\r') {
        length--;
      }
      long consumed = newline == -1 ? lineEnd : newline + 1;
      if (length == 0) {
        source.skip(consumed);
        if (hasData) {
          hasData = false;
          if (dispatch(data)) {
            return;
          }
          data.clear();
        }
      } else if (length >= DATA.size() && source.rangeEquals(0, DATA)) {
        long skip = DATA.size();
        if (length > skip && source.getBuffer().getByte(skip) == ' ') {
          skip++;
        }
        source.skip(skip);
        if (hasData) {
          data.writeByte('\n');
        }
        source.read(data, length - skip);
        source.skip(consumed - length);
        hasData = true;
      } else {
        source.skip(consumed);
      }
    }
  }

  /** Handles one event's data; true at {@code [DONE]}. */
  private boolean dispatch(Buffer data) throws IOException {
    if (isDone(data)) {
      done = true;
      return true;
    }
    try (JsonParser parser = json.getFactory().createParser(data.inputStream())) {
      handle(parser);
    } catch (JsonProcessingException e) {
      throw errors.invalid("malformed JSON in the stream: " + e.getOriginalMessage(), e);
    }
    return false;
  }

  private static boolean isDone(Buffer data) {
    long start = 0;
    long end = data.size();
    while (start < end && data.getByte(start) <= ' ') {
      start++;
    }
    while (end > start && data.getByte(end - 1) <= ' ') {
      end--;
    }
    return end - start == DONE.size() && data.rangeEquals(start, DONE);
  }

  /** Reads one chunk: {@code error}, {@code model}, {@code usage} and the first choice's delta. */
  private void handle(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw errors.invalid("a stream event that is not a JSON object", null);
    }
    String content = null;
    String refusal = null;
    String finish = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "error" -> {
          if (value != JsonToken.VALUE_NULL) {
            String message = value == JsonToken.VALUE_STRING ? p.getText() : errorMessage(p);
            throw new StoryMagicException.ModelUnavailable(
                StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR,
                who + " reported an error mid-stream: " + ProviderErrors.sanitise(message),
                null,
                null);
          }
        }
        case "model" -> {
          if (value == JsonToken.VALUE_STRING && !p.getText().isBlank()) {
            model = Optional.of(p.getText());
          } else {
            p.skipChildren();
          }
        }
        case "usage" -> {
          if (value == JsonToken.START_OBJECT) {
            usage = usage(p);
          } else {
            p.skipChildren();
          }
        }
        case "choices" -> {
          if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            continue;
          }
          Optional<ChatProtocol.FirstChoice> choice = ChatProtocol.firstChoice(p, "delta");
          if (choice.isPresent()) {
            sawChoice = true;
            content = choice.get().content();
            refusal = choice.get().refusal();
            finish = choice.get().finish();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (content != null) {
      accept(content);
    }
    if (refusal != null && !refusal.isBlank()) {
      throw new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED,
          who + " refused to write the story: " + ProviderErrors.sanitise(refusal),
          200,
          null);
    }
    if (finish != null) {
      finishReason = finish;
    }
  }

  private static String errorMessage(JsonParser p) throws IOException {
    String message = "unknown error";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return message;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if ("message".equals(name) && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
        message = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return message;
  }

  /** The usage object at the parser (on its start), as {@link ChatProtocol#usage} reads it. */
  static TokenUsage usage(JsonParser p) throws IOException {
    long prompt = 0;
    long completion = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if ("prompt_tokens".equals(name)) {
        prompt = p.getValueAsLong(0);
      } else if ("completion_tokens".equals(name)) {
        completion = p.getValueAsLong(0);
      } else {
        p.skipChildren();
      }
    }
    return new TokenUsage(Math.max(0, prompt), Math.max(0, completion));
  }

  /** Routes content to the prose parser, or holds it when the server streams JSON. */
  private void accept(String text) {
    if (jsonContent == null) {
      held.append(text);
      if (held.toString().isBlank()) {
        return;
      }
      jsonContent = ChatProtocol.looksLikeJson(held.toString());
      if (jsonContent) {
        return;
      }
      text = held.toString();
      held.setLength(0);
    } else if (jsonContent) {
      held.append(text);
      return;
    }
    story.accept(text);
  }

  private boolean consumerGone() {
    return listener.isCancelled() || Thread.currentThread().isInterrupted();
  }
}
