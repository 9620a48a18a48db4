package dev.storymagic.spring.internal;

import static java.util.Objects.requireNonNull;

import dev.storymagic.ComponentHealth;
import dev.storymagic.spi.GenerationLock;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.store.RedisPlugin;
import java.util.Optional;

/**
 * {@link SharedRedis} over {@code storymagic-store}'s {@link RedisPlugin}, which it closes. Not
 * API.
 */
public final class RedisPluginSharedRedis implements SharedRedis {
  private final RedisPlugin plugin;

  public RedisPluginSharedRedis(RedisPlugin plugin) {
    this.plugin = requireNonNull(plugin, "plugin");
  }

  @Override
  public StoryCache cache() {
    return plugin.cache();
  }

  @Override
  public GenerationLock generationLock() {
    return plugin.generationLock();
  }

  @Override
  public Optional<StoryRateLimiter> rateLimiter() {
    return plugin.rateLimiter().map(limiter -> limiter);
  }

  @Override
  public ComponentHealth health() {
    return plugin.health();
  }

  @Override
  public void close() {
    plugin.close();
  }
}
