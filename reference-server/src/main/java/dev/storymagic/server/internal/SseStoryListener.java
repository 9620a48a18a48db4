package dev.storymagic.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.Story;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Streams a story to one client as server-sent events: {@code text} events as sentences pass the
 * safety gate, then one {@code story} or {@code error} event. Every event is flushed at once. A
 * failed write means the client is gone: {@link #isCancelled()} turns true and the pipeline stops
 * the model call.
 *
 * <p>The response is committed lazily, on the first event or keep-alive, so an error found before
 * any text (rate limit, rejected input) is still answered with its own HTTP status and JSON body.
 */
public final class SseStoryListener implements StoryListener {
  private final HttpServletResponse response;
  private final StoryJson json;
  private final Consumer<ApiError> plainError;

  /**
   * What follows the story event (its pictures and recordings), or null: the stream ends with the
   * story.
   */
  private final java.util.function.Function<Story, CompletableFuture<?>> afterStory;

  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean cancelled;
  private boolean started;
  private ServletOutputStream out;

  /**
   * @param plainError answers with an ordinary JSON error when nothing was streamed yet
   */
  public SseStoryListener(
      HttpServletResponse response, StoryJson json, Consumer<ApiError> plainError) {
    this(response, json, plainError, null);
  }

  /**
   * @param afterStory runs once the story event is out and sends further events through {@link
   *     #event}; the stream ends when its future completes. Null: the stream ends with the story.
   */
  public SseStoryListener(
      HttpServletResponse response,
      StoryJson json,
      Consumer<ApiError> plainError,
      java.util.function.Function<Story, CompletableFuture<?>> afterStory) {
    this.response = response;
    this.json = json;
    this.plainError = plainError;
    this.afterStory = afterStory;
  }

  /** Sends one more event after the story (dropped once the client is gone). */
  public void event(String name, String data) {
    send(name, data);
  }

  /** Completes when the stream has ended, however it ended. */
  public CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void onText(String text) {
    ObjectNode data = json.mapper().createObjectNode().put("text", text);
    send("text", json.string(data));
  }

  @Override
  public void onComplete(Story story) {
    send("story", json.string(json.story(story)));
    if (afterStory == null || cancelled) {
      done.complete(null);
      return;
    }
    try {
      var unused = afterStory.apply(story).whenComplete((v, e) -> done.complete(null));
    } catch (RuntimeException e) {
      done.complete(null);
      throw e;
    }
  }

  @Override
  public void onError(StoryMagicException error) {
    ApiError mapped = Errors.map(error);
    synchronized (this) {
      if (!started && !cancelled) {
        plainError.accept(mapped);
        done.complete(null);
        return;
      }
    }
    send("error", json.string(json.error(mapped)));
    done.complete(null);
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  /** Sends a comment line so proxies keep the connection open and a vanished client is noticed. */
  public void keepAlive() {
    if (!done.isDone()) {
      write(": keep-alive\n\n");
    }
  }

  /**
   * Ends the stream now because the server is going away: a final {@code error} event if the stream
   * has started, else an ordinary JSON error; the pipeline then sees the stream cancelled and
   * stops. Later events are dropped.
   */
  public void shutdown(ApiError error) {
    synchronized (this) {
      if (done.isDone()) {
        return;
      }
      if (!started && !cancelled) {
        plainError.accept(error);
      } else {
        send("error", json.string(json.error(error)));
      }
      cancelled = true;
    }
    done.complete(null);
  }

  /**
   * Ends the stream because the server is going away or the request failed outside the pipeline.
   */
  public void abort() {
    cancelled = true;
  }

  private void send(String event, String data) {
    write("event: " + event + "\ndata: " + data + "\n\n");
  }

  private synchronized void write(String frame) {
    if (cancelled) {
      return;
    }
    try {
      if (!started) {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Accel-Buffering", "no");
        out = response.getOutputStream();
        started = true;
      }
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException | IllegalStateException e) {
      cancelled = true;
    }
  }
}
