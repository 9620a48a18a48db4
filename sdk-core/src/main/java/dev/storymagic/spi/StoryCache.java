package dev.storymagic.spi;

import dev.storymagic.CacheTier;
import dev.storymagic.ComponentHealth;
import dev.storymagic.Story;
import java.util.List;
import java.util.Optional;

/**
 * A cache of finished stories, keyed by the canonical cache key the pipeline computes (a SHA-256
 * hex string over the normalised request, model id, template version and safety-policy version).
 *
 * <p>Implementations must be thread-safe, and a shared cache must treat an outage as a miss: {@link
 * #get} returns empty and {@link #put} does nothing rather than throw, so the pipeline goes on
 * without it.
 */
public interface StoryCache {

  /** The cached story for {@code key}, or empty on a miss or an outage. */
  Optional<Story> get(String key);

  /** Caches {@code story}; the pipeline only ever passes complete, safe stories. */
  void put(String key, Story story);

  /** Removes the entry for {@code key}, if any. */
  default void invalidate(String key) {}

  /** Which tier this cache is, for metrics and {@link Story#cacheTier()}. */
  CacheTier tier();

  /** The tiers this cache is made of, nearest first; a single cache is its own only tier. */
  default List<StoryCache> tiers() {
    return List.of(this);
  }

  /** Whether the cache's backend can be reached, for health checks. */
  default ComponentHealth health() {
    return ComponentHealth.up("in process");
  }

  /**
   * A two-tier cache: reads try {@code l1} then {@code l2}, promoting {@code l2} hits to {@code
   * l1}; writes go to both.
   */
  static StoryCache tiered(StoryCache l1, StoryCache l2) {
    return new dev.storymagic.internal.TieredStoryCache(List.of(l1, l2));
  }
}
