package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.store.internal.LuaScript;
import dev.storymagic.testing.contract.StoryRateLimiterContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisRateLimiterIT extends StoryRateLimiterContract {
  private static LocalRedis redis;
  private final List<RedisPlugin> opened = new ArrayList<>();

  @BeforeAll
  static void start() {
    redis = new LocalRedis();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  /** A generous timeout: exact counts need every call answered, not degraded to "allow". */
  private static RedisPlugin plugin(RateLimit limit) {
    return RedisPlugin.create(
        redis.config().timeout(Duration.ofSeconds(3)).maxConnections(24).rateLimit(limit).build());
  }

  @Override
  protected StoryRateLimiter newLimiter(int permits) {
    RedisPlugin p = plugin(RateLimit.perMinute(permits, permits));
    opened.add(p);
    return p.rateLimiter().orElseThrow();
  }

  @AfterEach
  void closeOpened() {
    opened.forEach(RedisPlugin::close);
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
    try (RedisPlugin plugin = plugin(new RateLimit(1, 1, Duration.ofMillis(300)))) {
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
            RedisConfig.builder()
                .host("127.0.0.1")
                .port(LocalRedis.unusedPort())
                .keyPrefix(redis.prefix)
                .rateLimit(RateLimit.perMinute(1, 1))
                .build())) {
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
