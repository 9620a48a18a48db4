package dev.storymagic.store.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring warning at most once per interval, counting what it swallowed, so an outage hit
 * by every request does not flood the log. Not API.
 */
public final class WarnThrottle {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public WarnThrottle(Logger log, java.time.Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  public void warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long due = next.get();
    if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
      long skipped = suppressed.getAndSet(0);
      log.warn(
          "{}: {}{}",
          message,
          describe(cause),
          skipped > 0 ? " (" + skipped + " similar warnings suppressed)" : "");
    } else {
      suppressed.incrementAndGet();
      log.debug("{}: {}", message, describe(cause));
    }
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text =
        cause.getClass().getSimpleName()
            + (cause.getMessage() != null ? " " + cause.getMessage() : "");
    if (root != cause) {
      text +=
          " ("
              + root.getClass().getSimpleName()
              + (root.getMessage() != null ? " " + root.getMessage() : "")
              + ")";
    }
    return text;
  }
}
