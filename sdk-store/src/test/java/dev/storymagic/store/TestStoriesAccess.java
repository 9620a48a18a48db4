package dev.storymagic.store;

import dev.storymagic.Story;

/** Gives tests in other packages the rich sample story. */
public final class TestStoriesAccess {
  private TestStoriesAccess() {}

  public static Story rich() {
    return TestStories.rich("owner-rich", "key-rich");
  }
}
