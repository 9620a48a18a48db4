package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.GenerationLock;
import dev.storymagic.testing.Eventually;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link GenerationLock} does: one holder per key, release by the holder only, expiry of
 * a dead holder's lock after its time to live, and exactly one winner among concurrent contenders.
 * Keys are random, so tests may share one lock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class GenerationLockContract {
  private static final Duration LONG = Duration.ofSeconds(30);

  /** The lock under test; called once or more per test, it may return the same instance. */
  protected abstract GenerationLock lock();

  /**
   * Moves the lock's clock on by {@code duration}: a fake clock advances, a backend with its own
   * clock does nothing and the contract waits for real time.
   */
  protected abstract void letTimePass(Duration duration);

  private static String key() {
    return "lock-" + UUID.randomUUID();
  }

  @Test
  void lockIsExclusiveUntilItsHolderReleasesIt() {
    String key = key();
    Optional<GenerationLock.Lease> first = lock().tryAcquire(key, LONG);
    assertThat(first).isPresent();
    assertThat(lock().tryAcquire(key, LONG)).isEmpty();
    first.orElseThrow().close();
    Optional<GenerationLock.Lease> next = lock().tryAcquire(key, LONG);
    assertThat(next).isPresent();
    next.orElseThrow().close();
  }

  @Test
  void differentKeysDoNotExcludeEachOther() {
    try (GenerationLock.Lease a = lock().tryAcquire(key(), LONG).orElseThrow();
        GenerationLock.Lease b = lock().tryAcquire(key(), LONG).orElseThrow()) {
      assertThat(a).isNotSameAs(b);
    }
  }

  @Test
  void closingALeaseTwiceIsHarmless() {
    String key = key();
    GenerationLock.Lease lease = lock().tryAcquire(key, LONG).orElseThrow();
    lease.close();
    GenerationLock.Lease next = lock().tryAcquire(key, LONG).orElseThrow();
    lease.close();
    assertThat(lock().tryAcquire(key, LONG)).as("the second holder still holds it").isEmpty();
    next.close();
  }

  @Test
  void aDeadHoldersLockExpiresAndItsLateCloseNeverReleasesTheNextHolder() {
    String key = key();
    Duration ttl = Duration.ofMillis(200);
    GenerationLock.Lease stale = lock().tryAcquire(key, ttl).orElseThrow();
    AtomicReference<GenerationLock.Lease> current = new AtomicReference<>();
    Eventually.holds(
        Duration.ofSeconds(10),
        () -> letTimePass(ttl.plusMillis(1)),
        () -> {
          lock().tryAcquire(key, LONG).ifPresent(current::set);
          return current.get() != null;
        },
        "the lock expires after " + ttl);
    stale.close();
    assertThat(lock().tryAcquire(key, LONG)).isEmpty();
    current.get().close();
    Optional<GenerationLock.Lease> after = lock().tryAcquire(key, LONG);
    assertThat(after).isPresent();
    after.orElseThrow().close();
  }

  @Test
  void concurrentContendersGetExactlyOneLease() throws Exception {
    String key = key();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<GenerationLock.Lease>>> tries = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        tries.add(
            pool.submit(
                () -> {
                  go.await();
                  return lock().tryAcquire(key, LONG);
                }));
      }
      go.countDown();
      // Every answer is collected before any release: a lease closed early would let a late
      // contender in.
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
  void ttl_zero() {
    assertThatThrownBy(() -> lock().tryAcquire(key(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }
}
