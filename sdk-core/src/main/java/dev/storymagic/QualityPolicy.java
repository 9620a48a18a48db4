package dev.storymagic;

/** What the pipeline does with a story that misses a {@link QualityReport} check. */
public enum QualityPolicy {
  /** Return the story with its report; {@link QualityReport#passed()} tells the caller. The default. */
  ACCEPT_WITH_FLAG,
  /**
   * Ask the model again (within the pipeline's attempt budget); if every attempt misses, return the
   * last story with its report.
   */
  REGENERATE
}
