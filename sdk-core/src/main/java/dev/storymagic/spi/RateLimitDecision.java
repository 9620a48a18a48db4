package dev.storymagic.spi;

import java.time.Duration;

/**
 * The answer of a {@link StoryRateLimiter}.
 *
 * @param allowed whether the request may proceed
 * @param remaining requests left in the current window (0 when denied)
 * @param retryAfter when to try again; zero when allowed
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter) {
  public static RateLimitDecision allow(long remaining) {
    return new RateLimitDecision(true, remaining, Duration.ZERO);
  }

  public static RateLimitDecision deny(Duration retryAfter) {
    return new RateLimitDecision(false, 0, retryAfter);
  }
}
