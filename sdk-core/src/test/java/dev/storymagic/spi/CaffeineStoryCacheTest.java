package dev.storymagic.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.CacheTier;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.contract.StoryCacheContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaffeineStoryCacheTest extends StoryCacheContract {
  private final FakeClock clock = FakeClock.create();

  @Override
  protected StoryCache newCache(Duration ttl) {
    return CaffeineStoryCache.create(1_000, ttl, clock);
  }

  @Override
  protected void letTimePass(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void isTheInProcessTier() {
    assertThat(CaffeineStoryCache.create(1).tier()).isEqualTo(CacheTier.L1);
  }

  @Test
  void maximumSize_negative() {
    assertThatThrownBy(() -> CaffeineStoryCache.create(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSize must be at least 1: 0");
  }

  @Test
  void ttl_zero() {
    assertThatThrownBy(() -> CaffeineStoryCache.create(1, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive: PT0S");
  }
}
