package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.GenerationLock;
import dev.storymagic.testing.contract.GenerationLockContract;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisGenerationLockIT extends GenerationLockContract {
  @RegisterExtension static final LocalRedis redis = new LocalRedis();
  private static RedisGenerationLock lock;

  @BeforeAll
  static void start() {
    // A generous timeout: these tests are about exclusion, not about outages.
    lock = redis.plugin(redis.config().timeout(Duration.ofSeconds(2)).build()).generationLock();
  }

  @Override
  protected GenerationLock lock() {
    return lock;
  }

  /** Redis keeps its own clock: the contract waits for real time. */
  @Override
  protected void letTimePass(Duration duration) {}

  @Test
  void leaseLivesUnderTheKeyPrefixWithItsTtlUntilReleased() {
    String key = UUID.randomUUID().toString();
    GenerationLock.Lease lease = lock.tryAcquire(key, Duration.ofSeconds(30)).orElseThrow();
    assertThat(redis.admin.pttl(redis.prefix + "lock:" + key)).isBetween(1L, 30_000L);
    lease.close();
    assertThat(redis.admin.exists(redis.prefix + "lock:" + key)).isFalse();
  }

  @Test
  void unreachableRedisGrantsALeaseSoTheCallerGeneratesOnItsOwn() {
    try (RedisPlugin down = RedisPlugin.create(redis.unreachableConfig().build())) {
      Optional<GenerationLock.Lease> lease =
          down.generationLock().tryAcquire("k", Duration.ofSeconds(5));
      assertThat(lease).isPresent();
      lease.get().close();
    }
  }
}
