package dev.storymagic.openai.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;

/**
 * Turns a thread interrupt into {@link Call#cancel()} for calls run with {@link Call#execute()} on
 * the caller's thread. A blocking socket read on a platform thread does not notice an interrupt, so
 * one shared daemon thread looks at the callers of the calls in flight every {@value #PERIOD_MS} ms
 * and cancels those whose caller was interrupted (the pipeline's time limit interrupts a model call
 * it gave up on). With no call in flight it sleeps until the next one is registered.
 *
 * <p>The watch costs each call one map entry, not a thread hand-off; the price is that an interrupt
 * cancels the call within about {@value #PERIOD_MS} ms rather than at once. An interrupt that
 * OkHttp notices first (it checks the flag on every socket write and read, and while waiting for a
 * connection) ends the call before the watch looks: {@link HttpTransport} then cancels the call
 * itself, so no interrupt goes without its cancel.
 */
final class InterruptWatch {
  static final long PERIOD_MS = 5;
  private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final InterruptWatch INSTANCE =
      new InterruptWatch(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS));

  private final Map<Call, Thread> calls = new ConcurrentHashMap<>();
  private final long periodNanos;
  private volatile Thread watcher;
  private volatile boolean idle;

  /**
   * A watch looking every {@code periodNanos}; tests use a period long enough that it never looks.
   */
  InterruptWatch(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  static InterruptWatch get() {
    return INSTANCE;
  }

  /** Watches {@code call}, run by the current thread, until {@link #unwatch}. */
  void watch(Call call) {
    calls.put(call, Thread.currentThread());
    Thread w = watcher;
    if (w == null) {
      w = start();
    }
    if (idle) {
      LockSupport.unpark(w);
    }
  }

  void unwatch(Call call) {
    calls.remove(call);
  }

  private synchronized Thread start() {
    if (watcher == null) {
      Thread t = new Thread(null, this::run, "storymagic-http-interrupts", 256 * 1024);
      t.setDaemon(true);
      t.start();
      watcher = t;
    }
    return watcher;
  }

  // calls is a ConcurrentHashMap: removing while iterating never throws.
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  private void run() {
    while (true) {
      if (calls.isEmpty()) {
        idle = true;
        // Re-checked after announcing idleness so a call registered in between is not missed.
        if (calls.isEmpty()) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        idle = false;
        continue;
      }
      LockSupport.parkNanos(this, periodNanos);
      for (Map.Entry<Call, Thread> e : calls.entrySet()) {
        if (e.getValue().isInterrupted() && calls.remove(e.getKey(), e.getValue())) {
          cancel(e.getKey());
        }
      }
    }
  }

  private static void cancel(Call call) {
    try {
      call.cancel();
    } catch (RuntimeException | LinkageError e) {
      // An event listener that throws must not stop the watch for every other call.
    }
  }
}
