package dev.storymagic.testing;

import io.micrometer.core.instrument.MeterRegistry;

/** Reads the pipeline's meters back in tests. */
public final class Meters {
  private Meters() {}

  /** The {@code story_cache_requests} count for one tier ({@code l1}, {@code l2}) and result. */
  public static double cacheRequests(MeterRegistry registry, String tier, String result) {
    return registry
        .get("story_cache_requests")
        .tags("tier", tier, "result", result)
        .counter()
        .count();
  }
}
