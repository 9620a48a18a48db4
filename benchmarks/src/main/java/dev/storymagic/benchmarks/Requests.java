package dev.storymagic.benchmarks;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;

/**
 * The requests the benchmarks send: what a typical app asks for, and the smallest valid request.
 */
final class Requests {
  private Requests() {}

  /** Two characters, a setting, a moral and a child's idea: every user-text field filled. */
  static StoryRequest typical() {
    return typicalBuilder().build();
  }

  static StoryRequest.Builder typicalBuilder() {
    return StoryRequest.builder()
        .theme("space")
        .ageGroup(AgeGroup.AGES_6_8)
        .character("Mia", "a curious girl who loves stars")
        .character("Bolt", "a small friendly robot who beeps when he is happy")
        .setting("a quiet moon base with a big round window")
        .moral("sharing makes a long trip feel short")
        .idea("a lost little star wants to find its way back home")
        .length(StoryLength.SHORT);
  }

  /** Only the required fields. */
  static StoryRequest minimal() {
    return StoryRequest.builder().theme("ocean").ageGroup(AgeGroup.AGES_3_5).build();
  }

  /**
   * The typical request with a moral that differs for each {@code n}: a new cache key each time.
   */
  static StoryRequest typicalNumbered(long n) {
    return typicalBuilder().moral("sharing makes a long trip feel short, lesson " + n).build();
  }
}
