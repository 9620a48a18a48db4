package dev.storymagic.testing;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.spi.StoryCache;
import java.util.Optional;

/** A shared tier that throws on every read and write, as a cache whose server is gone does. */
public final class BrokenTierCache implements StoryCache {
  @Override
  public Optional<Story> get(String key) {
    throw new IllegalStateException("connection refused");
  }

  @Override
  public void put(String key, Story story) {
    throw new IllegalStateException("connection refused");
  }

  @Override
  public CacheTier tier() {
    return CacheTier.L2;
  }
}
