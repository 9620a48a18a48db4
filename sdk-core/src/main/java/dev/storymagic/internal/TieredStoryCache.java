package dev.storymagic.internal;

import dev.storymagic.CacheTier;
import dev.storymagic.ComponentHealth;
import dev.storymagic.Story;
import dev.storymagic.spi.StoryCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads nearest tier first, promoting hits to the nearer tiers; writes every tier. A tier that
 * fails is a miss on reading and skipped on writing (see {@link TierLookup}).
 */
public final class TieredStoryCache implements StoryCache {
  private final List<StoryCache> tiers;

  public TieredStoryCache(List<StoryCache> tiers) {
    List<StoryCache> flat = new ArrayList<>();
    for (StoryCache c : tiers) {
      flat.addAll(c.tiers());
    }
    if (flat.isEmpty()) {
      throw new IllegalArgumentException("a tiered cache needs at least one tier");
    }
    this.tiers = List.copyOf(flat);
  }

  @Override
  public Optional<Story> get(String key) {
    return TierLookup.find(tiers, 0, key, TierLookup.DIRECT).map(TierLookup.Hit::story);
  }

  @Override
  public void put(String key, Story story) {
    TierLookup.putAll(tiers, key, story);
  }

  @Override
  public void invalidate(String key) {
    for (StoryCache tier : tiers) {
      tier.invalidate(key);
    }
  }

  @Override
  public CacheTier tier() {
    return tiers.get(0).tier();
  }

  @Override
  public List<StoryCache> tiers() {
    return tiers;
  }

  @Override
  public ComponentHealth health() {
    for (StoryCache tier : tiers) {
      ComponentHealth h = tier.health();
      if (h.status() != ComponentHealth.Status.UP) {
        return h;
      }
    }
    return ComponentHealth.up(tiers.size() + " tier(s)");
  }
}
