package dev.storymagic.openai.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 *
 * <p>A virtual thread (Java 21 and later) needs no watch: the JDK closes a socket whose virtual
 * thread is interrupted while blocked on it, so the call fails at once and {@link HttpTransport}
 * cancels it as above. Its calls are not registered, which keeps the watch's scan to the platform
 * threads' calls: with a thousand generations in flight on virtual threads, looking at each of them
 * every {@value #PERIOD_MS} ms took 3.5 % of the reference server's CPU during a burst.
 */
final class InterruptWatch {
  static final long PERIOD_MS = 5;
  private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final InterruptWatch INSTANCE =
      new InterruptWatch(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS));

  /** {@code Thread.isVirtual()} where the JVM has it (21 and later); null on Java 17. */
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

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

  /**
   * Watches {@code call}, run by the current thread, until {@link #unwatch}; a virtual thread's
   * call is left to the JDK (see the class comment).
   */
  void watch(Call call) {
    Thread caller = Thread.currentThread();
    if (isVirtual(caller)) {
      return;
    }
    calls.put(call, caller);
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

  /** How many calls the watch looks at now. */
  int watched() {
    return calls.size();
  }

  static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable e) {
      throw new IllegalStateException("Thread.isVirtual failed", e);
    }
  }

  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // Java 17: platform threads only
    }
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
