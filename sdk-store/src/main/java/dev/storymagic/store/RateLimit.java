package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A per-owner token bucket: up to {@code burst} requests at once, refilled by {@code refillTokens}
 * every {@code refillPeriod} (continuously, not in steps).
 *
 * @param burst the bucket's size: requests an idle owner may make at once, 1 or more
 * @param refillTokens tokens added per period, 1 or more
 * @param refillPeriod the period, at least 1 ms
 */
public record RateLimit(long burst, long refillTokens, Duration refillPeriod) {
  public RateLimit {
    requireNonNull(refillPeriod, "refillPeriod");
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1: " + burst);
    }
    if (refillTokens < 1) {
      throw new IllegalArgumentException("refillTokens must be at least 1: " + refillTokens);
    }
    if (refillPeriod.toMillis() < 1) {
      throw new IllegalArgumentException("refillPeriod must be at least 1 ms: " + refillPeriod);
    }
  }

  /** {@code perMinute} requests a minute on average, with bursts of up to {@code burst}. */
  public static RateLimit perMinute(long perMinute, long burst) {
    return new RateLimit(burst, perMinute, Duration.ofMinutes(1));
  }

  /** Milliseconds to refill one token (fractional). */
  public double millisPerToken() {
    return (double) refillPeriod.toMillis() / refillTokens;
  }
}
