package dev.storymagic.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A time limit enforced on the thread that does the work: when it passes, a timer interrupts that
 * thread (a blocking model call then gives up: the OpenAI client cancels its HTTP call on an
 * interrupt). No hand-off: the work runs where it was called, and the timer only fires.
 *
 * <p>The caller ends every deadline with {@link #finish()}, which tells whether it passed and, if
 * it did, waits until its interrupt has been delivered and clears it, so an interrupt from a
 * deadline never leaks into the caller's later work.
 */
final class CallerDeadline implements Runnable {
  private static final int RUNNING = 0;
  private static final int FIRING = 1;
  private static final int FIRED = 2;
  private static final int FINISHED = 3;

  private final Thread caller;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final ScheduledFuture<?> timer;

  private CallerDeadline(ScheduledExecutorService timers, Duration limit) {
    this.caller = Thread.currentThread();
    this.timer = timers.schedule(this, limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts a deadline {@code limit} from now for the current thread. */
  static CallerDeadline start(ScheduledExecutorService timers, Duration limit) {
    return new CallerDeadline(timers, limit);
  }

  /** Run by the timer: interrupts the caller unless it finished first. */
  @Override
  public void run() {
    if (state.compareAndSet(RUNNING, FIRING)) {
      caller.interrupt();
      state.set(FIRED);
    }
  }

  /**
   * Ends the deadline, on the caller's thread.
   *
   * @return true if it passed before the caller finished; the interrupt it sent is then cleared
   */
  boolean finish() {
    if (state.compareAndSet(RUNNING, FINISHED)) {
      timer.cancel(false);
      return false;
    }
    while (state.get() == FIRING) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
    return true;
  }
}
