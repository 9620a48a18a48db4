package dev.storymagic.testing;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.StoryCache;
import java.util.Optional;

/** A second cache tier standing in for a shared one such as Redis: in process, reporting L2. */
public final class SharedTierCache implements StoryCache {
  private final CaffeineStoryCache stories = CaffeineStoryCache.create(1_000);

  @Override
  public Optional<Story> get(String key) {
    return stories.get(key);
  }

  @Override
  public void put(String key, Story story) {
    stories.put(key, story);
  }

  @Override
  public CacheTier tier() {
    return CacheTier.L2;
  }

  /** How many stories the tier holds. */
  public long size() {
    return stories.size();
  }
}
