package dev.storymagic.benchmarks;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.Timings;
import dev.storymagic.spi.SafetyFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Stories for the store and cache benchmarks, written by the offline engine. */
final class Stories {
  private Stories() {}

  /** A typical story as the pipeline delivers it. */
  static Story typical() {
    try (StoryMagic magic = StoryMagic.builder().safety(SafetyFilter.passThrough()).build()) {
      return magic.generate(Requests.typical());
    }
  }

  /**
   * {@code base} delivered again to {@code owner} under a new id, as the pipeline does for each
   * request.
   */
  static Story copyFor(Story base, String owner) {
    return base.deliveredAs(
        UUID.randomUUID().toString(),
        base.request().withOwner(owner),
        CacheTier.NONE,
        new Timings(Duration.ofMillis(1), Duration.ZERO),
        Instant.now());
  }
}
