package dev.storymagic.testing;

import dev.storymagic.TokenUsage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.StoryModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A model that follows a script: each call takes the next step (a response or an exception); when
 * the script runs out, the fallback answers. Counts calls, records requests, and can hold every
 * call at a latch until the test releases it.
 */
public final class ScriptedStoryModel implements StoryModel {
  private final Queue<Function<ModelRequest, ModelResponse>> script = new ConcurrentLinkedQueue<>();
  private final Function<ModelRequest, ModelResponse> fallback;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<ModelRequest> requests =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch gate;
  private final CountDownLatch entered = new CountDownLatch(1);

  private ScriptedStoryModel(Function<ModelRequest, ModelResponse> fallback) {
    this.fallback = fallback;
  }

  /** Answers every call with a short safe story about the request's first character. */
  public static ScriptedStoryModel safe() {
    return new ScriptedStoryModel(ScriptedStoryModel::safeStory);
  }

  public static ScriptedStoryModel answering(Function<ModelRequest, ModelResponse> answer) {
    return new ScriptedStoryModel(answer);
  }

  /** The next call answers with {@code text} as the only paragraph. */
  public ScriptedStoryModel thenText(String title, String text) {
    script.add(r -> response(title, List.of(text)));
    return this;
  }

  /** The next call throws {@code failure}. */
  public ScriptedStoryModel thenThrow(RuntimeException failure) {
    script.add(
        r -> {
          throw failure;
        });
    return this;
  }

  /** The next call sleeps {@code millis} (interruptibly) and then answers safely. */
  public ScriptedStoryModel thenSlow(long millis) {
    script.add(
        r -> {
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
          return safeStory(r);
        });
    return this;
  }

  /** Holds every call until {@link #release()}. */
  public ScriptedStoryModel holdUntilReleased() {
    gate = new CountDownLatch(1);
    return this;
  }

  public void release() {
    gate.countDown();
  }

  /** Waits until at least one call has started. */
  public boolean awaitFirstCall(long timeout, TimeUnit unit) throws InterruptedException {
    return entered.await(timeout, unit);
  }

  public int calls() {
    return calls.get();
  }

  public List<ModelRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public String id() {
    return "scripted-1";
  }

  @Override
  public ModelResponse generate(ModelRequest request) {
    calls.incrementAndGet();
    requests.add(request);
    entered.countDown();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        if (!g.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("test never released the scripted model");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    Function<ModelRequest, ModelResponse> step = script.poll();
    return (step != null ? step : fallback).apply(request);
  }

  /**
   * A step of a script: the provider answered 503, asking to wait {@code retryAfter} if present.
   */
  public static dev.storymagic.StoryMagicException.ModelUnavailable transientFailure(
      java.time.Duration retryAfter) {
    return new dev.storymagic.StoryMagicException.ModelUnavailable(
        dev.storymagic.StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR,
        "503 from upstream",
        retryAfter,
        null);
  }

  public static ModelResponse safeStory(ModelRequest request) {
    String hero =
        request.story().characters().isEmpty() ? "Pip" : request.story().characters().get(0).name();
    StringBuilder body = new StringBuilder();
    int target = request.wordBand().target();
    int words = 0;
    String[] sentences = {
      hero + " woke up early and looked at the sky.",
      "The sun was warm and the birds sang a happy song.",
      hero + " found a small box by the big tree.",
      "Inside the box was a map with a red line on it.",
      "A friend came to help, and they walked along the line together.",
      "At the end of the line they found a garden full of flowers.",
      "They shared the flowers with everyone in the town.",
      "That night " + hero + " smiled and fell asleep."
    };
    int i = 0;
    while (words < target) {
      String s = sentences[i++ % sentences.length];
      body.append(body.length() == 0 ? "" : " ").append(s);
      words += s.split("\\s+").length;
    }
    return response(hero + " and the Map", List.of(body.toString()));
  }

  public static ModelResponse response(String title, List<String> paragraphs) {
    return new ModelResponse(
        title, paragraphs, new TokenUsage(100, 200), new BigDecimal("0.0002"), "scripted-1");
  }
}
