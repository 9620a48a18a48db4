package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.store.internal.LuaScript;
import dev.storymagic.store.internal.WarnThrottle;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A per-owner token bucket shared by every server: one Lua script reads the bucket, refills it for
 * the time passed (by Redis's own clock, so servers' clocks do not matter), takes a token if there
 * is one and writes it back, atomically. The bucket's key, {@code <prefix>rate:<owner>}, expires
 * once it would be full again.
 *
 * <p>When Redis cannot be reached within the timeout the request is allowed and a warning logged
 * (at most every 10 seconds), as the {@link StoryRateLimiter} contract asks. Obtain one from {@link
 * RedisPlugin#rateLimiter()}.
 */
public final class RedisRateLimiter implements StoryRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final LuaScript TOKEN_BUCKET =
      new LuaScript(
          """
          local capacity = tonumber(ARGV[1])
          local ms_per_token = tonumber(ARGV[2])
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
          local tokens = tonumber(state[1])
          local at = tonumber(state[2])
          if tokens == nil or at == nil then
            tokens = capacity
            at = now
          elseif now > at then
            tokens = math.min(capacity, tokens + (now - at) / ms_per_token)
            at = now
          end
          local allowed = 0
          local retry = 0
          if tokens >= 1 then
            tokens = tokens - 1
            allowed = 1
          else
            retry = math.ceil((1 - tokens) * ms_per_token)
          end
          redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
          redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * ms_per_token) + 1000)
          return {allowed, math.floor(tokens), retry}""");

  private final UnifiedJedis jedis;
  private final String prefix;
  private final RateLimit limit;
  private final List<String> args;
  private final WarnThrottle warnings = new WarnThrottle(log, Duration.ofSeconds(10));
  private final dev.storymagic.store.internal.DbTelemetry telemetry;

  RedisRateLimiter(
      UnifiedJedis jedis,
      RedisConfig config,
      RateLimit limit,
      dev.storymagic.store.internal.DbTelemetry telemetry) {
    this.jedis = jedis;
    this.telemetry = telemetry;
    this.prefix = config.keyPrefix() + "rate:";
    this.limit = limit;
    this.args = List.of(Long.toString(limit.burst()), Double.toString(limit.millisPerToken()));
  }

  public RateLimit limit() {
    return limit;
  }

  @Override
  public RateLimitDecision tryAcquire(String owner) {
    requireNonNull(owner, "owner");
    Object reply;
    try {
      reply =
          telemetry.command(
              "EVALSHA", "rate_limit.acquire", () -> TOKEN_BUCKET.run(jedis, prefix + owner, args));
    } catch (RuntimeException e) {
      warnings.warn("Redis rate limiter unavailable; allowing the request", e);
      return RateLimitDecision.allow(limit.burst());
    }
    if (!(reply instanceof List<?> values) || values.size() != 3) {
      warnings.warn(
          "Redis rate limiter gave an unexpected reply; allowing the request",
          new IllegalStateException(String.valueOf(reply)));
      return RateLimitDecision.allow(limit.burst());
    }
    boolean allowed = ((Number) values.get(0)).longValue() == 1;
    long remaining = ((Number) values.get(1)).longValue();
    long retryMillis = ((Number) values.get(2)).longValue();
    return allowed
        ? RateLimitDecision.allow(remaining)
        : RateLimitDecision.deny(Duration.ofMillis(Math.max(1, retryMillis)));
  }
}
