package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.store.internal.LuaScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisRateLimiterIT {
  private static LocalRedis redis;

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
    return RedisPlugin.create(redis.config().timeout(Duration.ofSeconds(3)).maxConnections(24).rateLimit(limit).build());
  }

  @Test
  void twentyThreadsOfTenAttemptsAgainstALimitOfFiftyGetExactlyFifty() throws Exception {
    // 50 at once, refilled at 50 an hour: nothing refills noticeably during the test.
    RateLimit limit = new RateLimit(50, 50, Duration.ofHours(1));
    try (RedisPlugin plugin = plugin(limit)) {
      RedisRateLimiter limiter = plugin.rateLimiter().orElseThrow();
      String owner = "owner-" + UUID.randomUUID();
      ExecutorService pool = Executors.newFixedThreadPool(20);
      AtomicInteger allowed = new AtomicInteger();
      ConcurrentLinkedQueue<RateLimitDecision> denied = new ConcurrentLinkedQueue<>();
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
          threads.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < 10; i++) {
              RateLimitDecision d = limiter.tryAcquire(owner);
              if (d.allowed()) {
                allowed.incrementAndGet();
              } else {
                denied.add(d);
              }
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : threads) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(allowed.get()).isEqualTo(50);
      assertThat(denied).hasSize(150).allSatisfy(d -> {
        assertThat(d.remaining()).isZero();
        // One token takes 72 s at 50 an hour.
        assertThat(d.retryAfter()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(72));
      });
    }
  }

  @Test
  void remainingCountsDownThenTheOwnerIsDeniedAndOtherOwnersAreNot() {
    try (RedisPlugin plugin = plugin(RateLimit.perMinute(3, 3))) {
      RedisRateLimiter limiter = plugin.rateLimiter().orElseThrow();
      String owner = "owner-" + UUID.randomUUID();
      assertThat(limiter.tryAcquire(owner).remaining()).isEqualTo(2);
      assertThat(limiter.tryAcquire(owner).remaining()).isEqualTo(1);
      assertThat(limiter.tryAcquire(owner).remaining()).isZero();
      RateLimitDecision denied = limiter.tryAcquire(owner);
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
      assertThat(limiter.tryAcquire("other-" + UUID.randomUUID()).allowed()).isTrue();
      long pttl = redis.admin.pttl(redis.prefix + "rate:" + owner);
      assertThat(pttl).isBetween(1L, 61_000L);
    }
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
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
          .until(() -> limiter.tryAcquire(owner).allowed());
    }
  }

  @Test
  void unreachableRedisAllows() {
    try (RedisPlugin down = RedisPlugin.create(RedisConfig.builder().host("127.0.0.1").port(LocalRedis.unusedPort())
        .keyPrefix(redis.prefix).rateLimit(RateLimit.perMinute(1, 1)).build())) {
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
