package dev.storymagic.server.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.StoryRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A per-owner fixed-window limit of {@code perMinute} requests, in this process only (the Redis
 * limiter of {@code storymagic-store} replaces it when Redis is configured). Holds at most 100,000
 * owners' windows.
 */
public final class LocalRateLimiter implements StoryRateLimiter {
  private static final long WINDOW_MS = 60_000;
  private final long perMinute;
  private final Clock clock;
  private final Cache<String, Window> windows;

  private record Window(long start, AtomicLong used) {}

  public LocalRateLimiter(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
    this.windows =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(2)).build();
  }

  @Override
  public RateLimitDecision tryAcquire(String owner) {
    long now = clock.millis();
    long start = now - now % WINDOW_MS;
    Window window =
        windows
            .asMap()
            .compute(
                owner,
                (k, w) -> w == null || w.start != start ? new Window(start, new AtomicLong()) : w);
    long used = window.used.incrementAndGet();
    if (used <= perMinute) {
      return RateLimitDecision.allow(perMinute - used);
    }
    return RateLimitDecision.deny(Duration.ofMillis(start + WINDOW_MS - now));
  }
}
