package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.storymagic.spi.GenerationLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisGenerationLockIT {
  private static LocalRedis redis;
  private static RedisPlugin plugin;
  private static RedisGenerationLock lock;

  @BeforeAll
  static void start() {
    redis = new LocalRedis();
    // A generous timeout: these tests are about exclusion, not about outages.
    plugin = RedisPlugin.create(redis.config().timeout(Duration.ofSeconds(2)).build());
    lock = plugin.generationLock();
  }

  @AfterAll
  static void stop() {
    if (plugin != null) {
      plugin.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void lockIsExclusiveUntilItsHolderReleasesIt() {
    String key = UUID.randomUUID().toString();
    Optional<GenerationLock.Lease> first = lock.tryAcquire(key, Duration.ofSeconds(30));
    assertThat(first).isPresent();
    assertThat(lock.tryAcquire(key, Duration.ofSeconds(30))).isEmpty();
    long pttl = redis.admin.pttl(redis.prefix + "lock:" + key);
    assertThat(pttl).isBetween(1L, 30_000L);
    first.get().close();
    assertThat(redis.admin.exists(redis.prefix + "lock:" + key)).isFalse();
    Optional<GenerationLock.Lease> next = lock.tryAcquire(key, Duration.ofSeconds(30));
    assertThat(next).isPresent();
    next.get().close();
  }

  @Test
  void anExpiredHolderNeverReleasesTheLockOfTheNextHolder() {
    String key = UUID.randomUUID().toString();
    GenerationLock.Lease stale = lock.tryAcquire(key, Duration.ofMillis(150)).orElseThrow();
    GenerationLock.Lease[] current = new GenerationLock.Lease[1];
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
      current[0] = lock.tryAcquire(key, Duration.ofSeconds(30)).orElse(null);
      return current[0] != null;
    });
    stale.close();
    assertThat(redis.admin.exists(redis.prefix + "lock:" + key)).isTrue();
    assertThat(lock.tryAcquire(key, Duration.ofSeconds(30))).isEmpty();
    current[0].close();
    current[0].close();
    assertThat(redis.admin.exists(redis.prefix + "lock:" + key)).isFalse();
  }

  @Test
  void concurrentContendersGetExactlyOneLease() throws Exception {
    String key = UUID.randomUUID().toString();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<GenerationLock.Lease>>> tries = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        tries.add(pool.submit(() -> {
          go.await();
          return lock.tryAcquire(key, Duration.ofSeconds(30));
        }));
      }
      go.countDown();
      // Collect every answer before releasing: a lease closed early would let a late contender in.
      List<GenerationLock.Lease> granted = new ArrayList<>();
      for (Future<Optional<GenerationLock.Lease>> f : tries) {
        f.get(10, TimeUnit.SECONDS).ifPresent(granted::add);
      }
      granted.forEach(GenerationLock.Lease::close);
      assertThat(granted).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unreachableRedisGrantsALeaseSoTheCallerGeneratesOnItsOwn() {
    try (RedisPlugin down = RedisPlugin.create(RedisConfig.builder().host("127.0.0.1").port(LocalRedis.unusedPort())
        .keyPrefix(redis.prefix).build())) {
      Optional<GenerationLock.Lease> lease = down.generationLock().tryAcquire("k", Duration.ofSeconds(5));
      assertThat(lease).isPresent();
      lease.get().close();
    }
  }

  @Test
  void ttl_negative() {
    assertThatThrownBy(() -> lock.tryAcquire("k", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lock ttl must be at least 1 ms: PT0S");
  }
}
