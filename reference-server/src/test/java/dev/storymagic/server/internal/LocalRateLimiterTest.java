package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.contract.StoryRateLimiterContract;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest extends StoryRateLimiterContract {
  private final FakeClock clock = FakeClock.startingAt(Instant.parse("2026-01-01T00:00:10Z"));

  @Override
  protected StoryRateLimiter newLimiter(int permits) {
    return new LocalRateLimiter(permits, clock);
  }

  @Test
  void deniedUntilTheNextWholeMinuteThenTheAllowanceComesBackWhole() {
    StoryRateLimiter limiter = newLimiter(2);
    assertThat(limiter.tryAcquire("o").allowed()).isTrue();
    assertThat(limiter.tryAcquire("o").allowed()).isTrue();
    assertThat(limiter.tryAcquire("o")).isEqualTo(RateLimitDecision.deny(Duration.ofSeconds(50)));
    clock.advance(Duration.ofSeconds(49));
    assertThat(limiter.tryAcquire("o")).isEqualTo(RateLimitDecision.deny(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire("o")).isEqualTo(RateLimitDecision.allow(1));
    assertThat(limiter.tryAcquire("o")).isEqualTo(RateLimitDecision.allow(0));
  }
}
