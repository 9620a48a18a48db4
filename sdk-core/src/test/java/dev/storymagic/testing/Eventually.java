package dev.storymagic.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds, for contract suites that run both against fake time (where the
 * step advances a {@link FakeClock} and the first poll after it already holds) and against a
 * backend that keeps its own clock (where the step does nothing and real time passes).
 */
public final class Eventually {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  private Eventually() {}

  /**
   * Runs {@code step} and then tests {@code condition}, again and again, until it holds.
   *
   * @throws AssertionError if it still does not hold after {@code atMost} of real time
   */
  public static void holds(Duration atMost, Runnable step, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      step.run();
      if (condition.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + atMost + ": " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
