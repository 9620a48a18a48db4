package dev.storymagic.spi;

import dev.storymagic.ComponentHealth;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;

/**
 * The language model behind the pipeline. Implementations: {@link OfflineStoryModel} (the default,
 * procedural, no network) and {@code OpenAiStoryModel} in {@code storymagic-openai}.
 *
 * <p>Implementations must be thread-safe. They report transient failures as {@link
 * StoryMagicException.ModelUnavailable} (retried by the pipeline, honouring its retry-after hint)
 * and permanent ones as {@link StoryMagicException.ModelFailure} (never retried). The pipeline adds
 * time limits, retries, a circuit breaker and a bulkhead around every call; implementations only
 * need their own transport timeouts.
 */
public interface StoryModel {

  /**
   * A stable id for this model's output, part of every cache key: stories from different models or
   * model versions never share a cache entry. Such as {@code "offline-1"} or {@code
   * "openai:gpt-4o-mini"}.
   */
  String id();

  /** Writes one story. Blocks until it is complete. */
  ModelResponse generate(ModelRequest request);

  /**
   * Writes one story, passing body text to {@code listener} as it is produced, and returns the
   * complete response. The default generates the whole story and then delivers it in one piece.
   */
  default ModelResponse stream(ModelRequest request, ModelStreamListener listener) {
    ModelResponse response = generate(request);
    if (!response.title().isBlank()) {
      listener.onTitle(response.title());
    }
    listener.onDelta(response.text());
    return response;
  }

  /**
   * Whether this model writes in the request's {@link StoryRequest#language()}. When true (the
   * default) the pipeline's quality check fails a story plainly written in another language; a
   * model that writes one language whatever is asked returns false.
   */
  default boolean writesRequestedLanguage() {
    return true;
  }

  /** Whether the model can be reached, for health checks. Must answer within about a second. */
  default ComponentHealth health() {
    return ComponentHealth.up("no health check");
  }
}
