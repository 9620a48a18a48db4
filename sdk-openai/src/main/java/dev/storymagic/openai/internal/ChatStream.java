package dev.storymagic.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.GenerationCancelledException;
import dev.storymagic.ModelFailureException;
import dev.storymagic.ModelStreamListener;
import dev.storymagic.ModelUnavailableException;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Reads one streamed completion ({@code stream: true}) event by event as it arrives, on the
 * calling thread: content deltas go through {@link PlainTextStory} to the listener at once, the
 * usage of the last chunk is kept, and the stream must end with {@code data: [DONE]}. Between
 * events it polls the listener (and the thread's interrupt flag); when the consumer went away it
 * cancels the HTTP call and fails with {@link GenerationCancelledException}.
 */
public final class ChatStream extends EventSourceListener {
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
  private boolean cancelled;
  private String finishReason = "";
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> model = Optional.empty();
  private RuntimeException failure;
  private Throwable transportFailure;

  /** What the stream produced. */
  public record Result(String title, List<String> paragraphs, TokenUsage usage, Optional<String> model) {}

  public ChatStream(ObjectMapper json, ProviderErrors errors, ModelStreamListener listener,
      HttpTransport.Exchange exchange, String who) {
    this.json = json;
    this.errors = errors;
    this.listener = listener;
    this.exchange = exchange;
    this.who = who;
    this.story = new PlainTextStory(listener);
  }

  /** Reads the whole stream from {@code response} (already known to be 2xx) and returns the story. */
  public Result read(Response response) {
    EventSources.processResponse(response, this);
    if (cancelled || consumerGone()) {
      exchange.cancel();
      throw new GenerationCancelledException("the stream from " + who + " was cancelled by its consumer");
    }
    if (failure != null) {
      throw failure;
    }
    if (transportFailure != null) {
      throw transportFailure instanceof IOException io ? errors.fromIo(io, false)
          : errors.invalid("an unreadable stream: " + transportFailure.getMessage(), transportFailure);
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

  @Override
  public void onEvent(EventSource source, String id, String type, String data) {
    if (done || failure != null) {
      return;
    }
    if (consumerGone()) {
      cancelled = true;
      stop(source);
      return;
    }
    if ("[DONE]".equals(data.strip())) {
      done = true;
      source.cancel();
      return;
    }
    try {
      handle(json.readTree(data));
    } catch (IOException e) {
      failure = errors.invalid("malformed JSON in the stream: " + e.getMessage(), e);
      stop(source);
    } catch (StoryMagicException e) {
      failure = e;
      stop(source);
    } catch (RuntimeException e) {
      // The consumer's own failure while handling a delta: pass it on unchanged.
      failure = e;
      stop(source);
    }
  }

  @Override
  public void onFailure(EventSource source, Throwable t, Response response) {
    if (done || failure != null || cancelled || t == null) {
      return;
    }
    transportFailure = t;
  }

  private void handle(JsonNode chunk) {
    if (chunk == null || !chunk.isObject()) {
      throw errors.invalid("a stream event that is not a JSON object", null);
    }
    JsonNode error = chunk.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      String message = error.isTextual() ? error.asText() : error.path("message").asText("unknown error");
      throw new ModelUnavailableException(ModelUnavailableException.Reason.UPSTREAM_ERROR,
          who + " reported an error mid-stream: " + ProviderErrors.sanitise(message), null, null);
    }
    ChatProtocol.textOf(chunk.path("model")).ifPresent(m -> model = Optional.of(m));
    if (chunk.path("usage").isObject()) {
      usage = ChatProtocol.usage(chunk);
    }
    JsonNode choices = chunk.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      return;
    }
    sawChoice = true;
    JsonNode choice = choices.get(0);
    JsonNode content = choice.path("delta").path("content");
    if (content.isTextual()) {
      accept(content.asText());
    }
    JsonNode refusal = choice.path("delta").path("refusal");
    if (refusal.isTextual() && !refusal.asText().isBlank()) {
      throw new ModelFailureException(ModelFailureException.Reason.CONTENT_FILTERED,
          who + " refused to write the story: " + ProviderErrors.sanitise(refusal.asText()), 200, null);
    }
    if (choice.path("finish_reason").isTextual()) {
      finishReason = choice.path("finish_reason").asText();
    }
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

  private void stop(EventSource source) {
    source.cancel();
    exchange.cancel();
  }
}
