package dev.storymagic.spring.internal;

import dev.storymagic.ComponentHealth;
import dev.storymagic.spi.GenerationLock;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryRateLimiter;
import java.util.Optional;

/**
 * What the auto-configuration takes from Redis, in SDK types only, so the configuration that uses
 * it never loads a class of {@code storymagic-store} when the application does not have it. Not
 * API.
 */
public interface SharedRedis extends AutoCloseable {
  /** The shared cache tier. */
  StoryCache cache();

  /** The cross-node single-flight lock. */
  GenerationLock generationLock();

  /** The shared per-owner rate limit, when one is configured. */
  Optional<StoryRateLimiter> rateLimiter();

  ComponentHealth health();

  @Override
  void close();
}
