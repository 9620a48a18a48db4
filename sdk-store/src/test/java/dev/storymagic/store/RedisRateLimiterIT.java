package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.store.internal.LuaScript;
import dev.storymagic.testing.contract.StoryRateLimiterContract;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisRateLimiterIT extends StoryRateLimiterContract {
  @RegisterExtension static final LocalRedis redis = new LocalRedis();

  /** A generous timeout: exact counts need every call answered, not degraded to "allow". */
  private static RedisConfig config(RateLimit limit) {
    return redis
        .config()
        .timeout(Duration.ofSeconds(3))
        .maxConnections(24)
        .rateLimit(limit)
        .build();
  }

  @Override
  protected StoryRateLimiter newLimiter(int permits) {
    return redis.plugin(config(RateLimit.perMinute(permits, permits))).rateLimiter().orElseThrow();
  }

  @Test
  void deniedRetryAfterIsTheTimeOfOneTokenAndTheBucketExpiresWithinTheWindow() {
    StoryRateLimiter limiter = newLimiter(3);
    String owner = "owner-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire(owner).allowed()).isTrue();
    }
    // One token takes 20 s at 3 a minute.
    assertThat(limiter.tryAcquire(owner).retryAfter())
        .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
    assertThat(redis.admin.pttl(redis.prefix + "rate:" + owner)).isBetween(1L, 61_000L);
  }

  @Test
  void tokensRefillWithTime() {
    try (RedisPlugin plugin =
        RedisPlugin.create(config(new RateLimit(1, 1, Duration.ofMillis(300))))) {
      RedisRateLimiter limiter = plugin.rateLimiter().orElseThrow();
      String owner = "owner-" + UUID.randomUUID();
      assertThat(limiter.tryAcquire(owner).allowed()).isTrue();
      RateLimitDecision denied = limiter.tryAcquire(owner);
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofMillis(300));
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> limiter.tryAcquire(owner).allowed());
    }
  }

  @Test
  void unreachableRedisAllows() {
    try (RedisPlugin down =
        RedisPlugin.create(
            redis.unreachableConfig().rateLimit(RateLimit.perMinute(1, 1)).build())) {
      RedisRateLimiter limiter = down.rateLimiter().orElseThrow();
      for (int i = 0; i < 3; i++) {
        RateLimitDecision d = limiter.tryAcquire("o");
        assertThat(d.allowed()).isTrue();
        assertThat(d.retryAfter()).isZero();
      }
    }
  }

  @Test
  void scriptUnknownToTheServerIsSentInFullThenRunBySha() {
    String marker = UUID.randomUUID().toString();
    LuaScript script = new LuaScript("return '" + marker + "' .. KEYS[1]");
    String key = redis.prefix + "script";
    assertThat(redis.admin.scriptExists(script.sha1(), key)).isFalse();
    assertThat(script.run(redis.admin, key, List.of())).isEqualTo(marker + key);
    assertThat(redis.admin.scriptExists(script.sha1(), key)).isTrue();
    assertThat(script.run(redis.admin, key, List.of())).isEqualTo(marker + key);
  }
}
