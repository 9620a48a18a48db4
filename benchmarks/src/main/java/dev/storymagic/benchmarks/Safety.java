package dev.storymagic.benchmarks;

import dev.storymagic.StoryMagic;
import dev.storymagic.spi.SafetyFilter;

/** Which safety filters a benchmarked {@link StoryMagic} runs. */
public enum Safety {
  /** The library's default filter: what users get. */
  DEFAULT,
  /**
   * {@link SafetyFilter#passThrough()}: isolates the rest of the pipeline from the classifier's
   * cost.
   */
  PASS_THROUGH;

  StoryMagic.Builder apply(StoryMagic.Builder builder) {
    return this == PASS_THROUGH ? builder.safety(SafetyFilter.passThrough()) : builder;
  }
}
