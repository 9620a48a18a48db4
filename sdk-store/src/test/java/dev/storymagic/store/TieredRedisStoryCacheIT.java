package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.CacheTier;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.contract.StoryCacheContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process tier on a fake clock in front of Redis on its own clock. */
class TieredRedisStoryCacheIT extends StoryCacheContract {
  private static LocalRedis redis;
  private final FakeClock clock = FakeClock.create();
  private final List<RedisPlugin> opened = new ArrayList<>();

  @BeforeAll
  static void start() {
    redis = new LocalRedis();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected StoryCache newCache(Duration ttl) {
    RedisPlugin plugin =
        RedisPlugin.create(redis.config().ttl(ttl).timeout(Duration.ofSeconds(2)).build());
    opened.add(plugin);
    return StoryCache.tiered(CaffeineStoryCache.create(100, ttl, clock), plugin.cache());
  }

  /** Moves the in-process tier's clock; Redis's own time passes while the contract waits. */
  @Override
  protected void letTimePass(Duration duration) {
    clock.advance(duration);
  }

  @AfterEach
  void closeOpened() {
    opened.forEach(RedisPlugin::close);
  }

  @Test
  void tiersAreTheProcessThenRedis() {
    StoryCache cache = newCache(TTL);
    assertThat(cache.tiers())
        .extracting(StoryCache::tier)
        .containsExactly(CacheTier.L1, CacheTier.L2);
  }
}
