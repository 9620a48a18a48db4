package dev.storymagic.spi;

/**
 * Limits how many stories one owner may request. The pipeline asks before any other work for
 * requests that name an owner. Implementations: {@code RedisRateLimiter} in {@code
 * storymagic-store} (shared by every server).
 */
public interface StoryRateLimiter {

  /** Takes one permit for {@code owner}. Must not throw for an outage: allow instead, and log. */
  RateLimitDecision tryAcquire(String owner);

  /** A limiter that always allows. */
  static StoryRateLimiter unlimited() {
    return owner -> RateLimitDecision.allow(Long.MAX_VALUE);
  }
}
