package dev.storymagic.benchmarks;

import dev.storymagic.Story;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;

/** Stream listeners for benchmarks. */
final class Listeners {
  private static final StoryListener DISCARDING =
      new StoryListener() {
        @Override
        public void onText(String text) {}

        @Override
        public void onComplete(Story story) {}

        @Override
        public void onError(StoryMagicException error) {}
      };

  private Listeners() {}

  /** Drops the text; the story and any error arrive through the future {@code stream} returns. */
  static StoryListener discarding() {
    return DISCARDING;
  }
}
