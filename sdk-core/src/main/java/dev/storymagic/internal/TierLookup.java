package dev.storymagic.internal;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.spi.StoryCache;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one walk over cache tiers: nearest first; a tier that fails is a miss (a cache is never the
 * reason a story is not delivered); a hit is copied into the nearer tiers it missed in. Used by
 * {@link TieredStoryCache} and, with spans and metrics around each read, by the pipeline.
 */
final class TierLookup {
  private static final Logger log = LoggerFactory.getLogger(TierLookup.class);

  /** A story found, and the tier it was found in. */
  record Hit(Story story, CacheTier tier) {}

  /** Reads one tier; the pipeline's probe wraps the read in a span and counts it. */
  @FunctionalInterface
  interface Probe {
    Optional<Story> read(StoryCache tier, String key);
  }

  /** Reads the tier and nothing else. */
  static final Probe DIRECT = StoryCache::get;

  private TierLookup() {}

  /**
   * Walks {@code tiers} from index {@code from}; a hit is put into the tiers before it (from 0).
   */
  static Optional<Hit> find(List<StoryCache> tiers, int from, String key, Probe probe) {
    for (int i = from; i < tiers.size(); i++) {
      StoryCache tier = tiers.get(i);
      Optional<Story> hit = read(tier, key, probe);
      if (hit.isPresent()) {
        putAll(tiers.subList(0, i), key, hit.get());
        return Optional.of(new Hit(hit.get(), tier.tier()));
      }
    }
    return Optional.empty();
  }

  /** Puts the story into every tier given; a tier that fails is skipped. */
  static void putAll(List<StoryCache> tiers, String key, Story story) {
    for (StoryCache tier : tiers) {
      try {
        tier.put(key, story);
      } catch (RuntimeException e) {
        log.warn("cache tier {} failed to store a story: {}", tier.tier(), e.toString());
      }
    }
  }

  private static Optional<Story> read(StoryCache tier, String key, Probe probe) {
    try {
      return probe.read(tier, key);
    } catch (RuntimeException e) {
      log.warn("cache tier {} failed; treating as a miss: {}", tier.tier(), e.toString());
      return Optional.empty();
    }
  }
}
