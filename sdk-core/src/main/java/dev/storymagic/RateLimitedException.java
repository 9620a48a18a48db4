package dev.storymagic;

import java.time.Duration;

/** The caller made too many requests; try again after {@link #retryAfter()}. */
public final class RateLimitedException extends StoryMagicException {
  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(message, null);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String code() {
    return "rate_limited";
  }
}
