package dev.storymagic.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test calls {@link #advance(Duration)}: a {@link Clock} for code
 * that reads wall time and a nanosecond {@link #nanoTime() ticker} for code that measures elapsed
 * time (Caffeine's {@code Ticker}, resilience4j's clocks). Thread-safe.
 */
public final class FakeClock extends Clock {
  /** Where every fake clock starts unless told otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicLong epochNanos;
  private final ZoneId zone;

  private FakeClock(AtomicLong epochNanos, ZoneId zone) {
    this.epochNanos = epochNanos;
    this.zone = zone;
  }

  /** A clock standing at {@link #DEFAULT_START}, in UTC. */
  public static FakeClock create() {
    return startingAt(DEFAULT_START);
  }

  /** A clock standing at {@code start}, in UTC. */
  public static FakeClock startingAt(Instant start) {
    return new FakeClock(
        new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano()), ZoneOffset.UTC);
  }

  /** Moves the clock forward. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a fake clock only moves forward: " + duration);
    }
    epochNanos.addAndGet(duration.toNanos());
  }

  /** Nanoseconds since the epoch: a monotonic reading for tickers. */
  public long nanoTime() {
    return epochNanos.get();
  }

  @Override
  public Instant instant() {
    long nanos = epochNanos.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving time seen in another zone. */
  @Override
  public Clock withZone(ZoneId other) {
    return new FakeClock(epochNanos, other);
  }
}
