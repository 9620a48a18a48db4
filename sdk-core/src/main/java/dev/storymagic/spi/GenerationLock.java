package dev.storymagic.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A lock shared across processes, so that several servers asked for the same story at once make one
 * model call. The holder generates and caches; the others wait for the shared cache.
 * Implementations: {@code RedisGenerationLock} in {@code storymagic-store}.
 */
public interface GenerationLock {

  /**
   * Tries once, without waiting, to take the lock for {@code key}.
   *
   * @param ttl how long the lock holds if the holder dies without releasing it
   * @return a lease to close when done, or empty if another holder has it (or the backend is down:
   *     the caller then generates on its own)
   */
  Optional<Lease> tryAcquire(String key, Duration ttl);

  /** A held lock. Closing releases it only if it is still ours. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }
}
