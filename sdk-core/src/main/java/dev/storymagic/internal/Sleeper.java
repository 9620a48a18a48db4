package dev.storymagic.internal;

import java.time.Duration;

/** Waits between retries. The system one sleeps the thread; tests record the waits instead. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps the calling thread. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
