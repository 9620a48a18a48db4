package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The in-process L1 tier: a bounded Caffeine cache with a time to live. */
public final class CaffeineStoryCache implements StoryCache {
  /** Default time to live of an entry: 24 hours. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private final Cache<String, Story> cache;

  private CaffeineStoryCache(long maximumSize, Duration ttl, Ticker ticker) {
    this.cache =
        Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).ticker(ticker).build();
  }

  /** A cache of at most {@code maximumSize} stories kept for {@link #DEFAULT_TTL}. */
  public static CaffeineStoryCache create(long maximumSize) {
    return create(maximumSize, DEFAULT_TTL);
  }

  /**
   * A cache of at most {@code maximumSize} stories (1 or more), each kept for {@code ttl}
   * (positive) after it was written.
   */
  public static CaffeineStoryCache create(long maximumSize, Duration ttl) {
    check(maximumSize, ttl);
    return new CaffeineStoryCache(maximumSize, ttl, Ticker.systemTicker());
  }

  private static void check(long maximumSize, Duration ttl) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1: " + maximumSize);
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
  }

  /**
   * A cache like {@link #create(long, Duration)} that measures the time to live on {@code clock}
   * rather than the system's monotonic timer: for tests that move time on, or for an application
   * whose whole pipeline runs on one clock.
   */
  public static CaffeineStoryCache create(long maximumSize, Duration ttl, Clock clock) {
    check(maximumSize, ttl);
    requireNonNull(clock, "clock");
    Ticker ticker =
        () -> {
          Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    return new CaffeineStoryCache(maximumSize, ttl, ticker);
  }

  @Override
  public Optional<Story> get(String key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  @Override
  public void put(String key, Story story) {
    cache.put(key, story);
  }

  @Override
  public void invalidate(String key) {
    cache.invalidate(key);
  }

  @Override
  public CacheTier tier() {
    return CacheTier.L1;
  }

  /** Approximate number of cached stories. */
  public long size() {
    return cache.estimatedSize();
  }
}
