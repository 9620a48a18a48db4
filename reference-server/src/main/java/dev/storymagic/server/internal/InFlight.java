package dev.storymagic.server.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts generations in flight so shutdown can wait for them. */
public final class InFlight {
  private final AtomicInteger count = new AtomicInteger();
  private final Object lock = new Object();

  public void begin() {
    count.incrementAndGet();
  }

  public void end() {
    if (count.decrementAndGet() == 0) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  public int count() {
    return count.get();
  }

  /** Waits until nothing is in flight or {@code deadline} passed; true if all finished. */
  public boolean awaitIdle(Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    synchronized (lock) {
      while (count.get() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
    return true;
  }
}
