package dev.storymagic.internal;

import dev.storymagic.LocalSafetyClassifier;
import dev.storymagic.SafetyFilter;

/** The safety filter used when the application configures none: the built-in local classifier. */
public final class DefaultSafety {
  private DefaultSafety() {}

  public static SafetyFilter defaultFilter() {
    return LocalSafetyClassifier.create();
  }
}
