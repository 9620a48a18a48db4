package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.CacheTier;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.contract.StoryCacheContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The in-process tier on a fake clock in front of Redis on its own clock. */
class TieredRedisStoryCacheIT extends StoryCacheContract {
  @RegisterExtension static final LocalRedis redis = new LocalRedis();
  private final FakeClock clock = FakeClock.create();

  @Override
  protected StoryCache newCache(Duration ttl) {
    RedisPlugin plugin =
        redis.plugin(redis.config().ttl(ttl).timeout(Duration.ofSeconds(2)).build());
    return StoryCache.tiered(CaffeineStoryCache.create(100, ttl, clock), plugin.cache());
  }

  /** Moves the in-process tier's clock; Redis's own time passes while the contract waits. */
  @Override
  protected void letTimePass(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void tiersAreTheProcessThenRedis() {
    StoryCache cache = newCache(TTL);
    assertThat(cache.tiers())
        .extracting(StoryCache::tier)
        .containsExactly(CacheTier.L1, CacheTier.L2);
  }
}
