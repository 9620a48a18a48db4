package dev.storymagic.openai.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;

/**
 * Turns a thread interrupt into {@link Call#cancel()} for calls run with {@link Call#execute()} on
 * the caller's thread. A blocking socket read on a platform thread does not notice an interrupt, so
 * one shared daemon thread looks at the callers of the calls in flight every {@value #PERIOD_MS}
 * ms and cancels those whose caller was interrupted (the pipeline's time limit interrupts a model
 * call it gave up on). With no call in flight it sleeps until the next one is registered.
 *
 * <p>The watch costs each call one map entry, not a thread hand-off; the price is that an
 * interrupt cancels the call within about {@value #PERIOD_MS} ms rather than at once.
 */
final class InterruptWatch {
  static final long PERIOD_MS = 5;
  private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final InterruptWatch INSTANCE = new InterruptWatch();

  private final Map<Call, Thread> calls = new ConcurrentHashMap<>();
  private volatile Thread watcher;
  private volatile boolean idle;

  private InterruptWatch() {}

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
      for (Map.Entry<Call, Thread> e : calls.entrySet()) {
        if (e.getValue().isInterrupted()) {
          e.getKey().cancel();
          calls.remove(e.getKey());
        }
      }
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(PERIOD_MS));
    }
  }
}
