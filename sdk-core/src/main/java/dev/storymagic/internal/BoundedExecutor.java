package dev.storymagic.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs blocking work with at most {@code limit} tasks in flight and no queue: beyond the limit a
 * submission is rejected at once. On Java 21 and later each task gets a virtual thread, so
 * thousands of generations waiting on a model cost no platform threads; on Java 17 it uses a pool
 * of platform threads grown on demand up to the limit.
 */
public final class BoundedExecutor implements AutoCloseable {
  private final ExecutorService delegate;
  private final Semaphore permits;
  private final int limit;

  public BoundedExecutor(String name, int limit) {
    this.limit = limit;
    this.permits = new Semaphore(limit);
    this.delegate = virtualThreads().orElseGet(() -> platformThreads(name, limit));
  }

  /**
   * Runs {@code task}; the future fails with {@link RejectedExecutionException} when full. The
   * task, and whatever runs when the future completes, see the caller's OpenTelemetry context, so
   * spans and log lines on the pool belong to the caller's trace.
   */
  public <T> CompletableFuture<T> supply(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Context context = Context.current();
    if (!permits.tryAcquire()) {
      result.completeExceptionally(
          new RejectedExecutionException("more than " + limit + " tasks in flight"));
      return result;
    }
    try {
      delegate.execute(
          () -> {
            try (Scope ignored = context.makeCurrent()) {
              result.complete(task.get());
            } catch (Throwable t) {
              result.completeExceptionally(t);
            } finally {
              permits.release();
            }
          });
    } catch (RejectedExecutionException e) {
      permits.release();
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * Submits {@code task} as a cancellable {@link Future} (cancel interrupts it), in the caller's
   * context.
   */
  public <T> Future<T> submit(Callable<T> task) {
    Context context = Context.current();
    if (!permits.tryAcquire()) {
      throw new RejectedExecutionException("more than " + limit + " tasks in flight");
    }
    try {
      return delegate.submit(
          () -> {
            try (Scope ignored = context.makeCurrent()) {
              return task.call();
            } finally {
              permits.release();
            }
          });
    } catch (RejectedExecutionException e) {
      permits.release();
      throw e;
    }
  }

  public int inFlight() {
    return limit - permits.availablePermits();
  }

  /** Stops accepting, waits up to {@code grace} for running tasks, then interrupts them. */
  public void shutdown(Duration grace) {
    delegate.shutdown();
    try {
      if (!delegate.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        delegate.shutdownNow();
      }
    } catch (InterruptedException e) {
      delegate.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  private static java.util.Optional<ExecutorService> virtualThreads() {
    try {
      Method m = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return java.util.Optional.of((ExecutorService) m.invoke(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static ExecutorService platformThreads(String name, int limit) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            limit,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              // Small stacks: these threads only wait on I/O and run the pipeline's shallow call
              // chain.
              Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), 512 * 1024);
              t.setDaemon(true);
              return t;
            });
    return pool;
  }
}
