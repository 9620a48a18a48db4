package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.StoryRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link StoryRateLimiter} does: a fresh owner gets its whole allowance with the
 * remaining count going down to zero, then denials carrying a retry-after within the window; owners
 * never share an allowance; concurrent requests are counted exactly. How the allowance comes back
 * (a fixed window, a token bucket) differs and is tested beside each implementation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StoryRateLimiterContract {
  /** Every limiter's window: the allowance comes back within a minute. */
  protected static final Duration WINDOW = Duration.ofMinutes(1);

  /** A limiter allowing each owner {@code permits} requests per {@link #WINDOW}, all at once. */
  protected abstract StoryRateLimiter newLimiter(int permits);

  private static String owner() {
    return "owner-" + UUID.randomUUID();
  }

  @Test
  void remainingCountsDownThenTheOwnerIsDenied() {
    StoryRateLimiter limiter = newLimiter(3);
    String owner = owner();
    assertThat(limiter.tryAcquire(owner)).isEqualTo(RateLimitDecision.allow(2));
    assertThat(limiter.tryAcquire(owner)).isEqualTo(RateLimitDecision.allow(1));
    assertThat(limiter.tryAcquire(owner)).isEqualTo(RateLimitDecision.allow(0));
    RateLimitDecision denied = limiter.tryAcquire(owner);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.remaining()).isZero();
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(WINDOW);
  }

  @Test
  void anotherOwnerHasItsOwnAllowance() {
    StoryRateLimiter limiter = newLimiter(1);
    String busy = owner();
    assertThat(limiter.tryAcquire(busy).allowed()).isTrue();
    assertThat(limiter.tryAcquire(busy).allowed()).isFalse();
    assertThat(limiter.tryAcquire(owner())).isEqualTo(RateLimitDecision.allow(0));
  }

  @Test
  void concurrentRequestsAreCountedExactly() throws Exception {
    StoryRateLimiter limiter = newLimiter(50);
    String owner = owner();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger allowed = new AtomicInteger();
    ConcurrentLinkedQueue<RateLimitDecision> denied = new ConcurrentLinkedQueue<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> threads = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        threads.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < 10; i++) {
                    RateLimitDecision d = limiter.tryAcquire(owner);
                    if (d.allowed()) {
                      allowed.incrementAndGet();
                    } else {
                      denied.add(d);
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : threads) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(allowed.get()).isEqualTo(50);
    assertThat(denied)
        .hasSize(110)
        .allSatisfy(
            d -> {
              assertThat(d.remaining()).isZero();
              assertThat(d.retryAfter()).isPositive().isLessThanOrEqualTo(WINDOW);
            });
  }
}
