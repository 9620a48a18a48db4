package dev.storymagic.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One piece of work per key at a time: the first caller for a key runs it; callers arriving while
 * it runs wait for its result (or its failure) instead of repeating it. Once the work ends the key
 * is free again. Thread-safe.
 *
 * @param <V> the result
 */
final class SingleFlight<V> {
  private final Map<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} for {@code key}, or waits for the run already in flight.
   *
   * @param waiting wraps a follower's wait (a span around it, say): it is given the wait and must
   *     return what the wait returns
   * @throws RuntimeException the leader's failure, the same instance for every caller
   */
  V run(String key, Supplier<V> work, Function<Supplier<V>, V> waiting) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      return waiting.apply(() -> join(leader));
    }
    try {
      V value = work.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /** Whether work for {@code key} is running now. */
  boolean running(String key) {
    return inFlight.containsKey(key);
  }

  private static <V> V join(CompletableFuture<V> leader) {
    try {
      return leader.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
