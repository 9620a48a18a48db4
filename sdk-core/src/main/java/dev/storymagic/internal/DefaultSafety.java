package dev.storymagic.internal;

import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyFilter;

/** The safety filter used when the application configures none: the built-in local classifier. */
public final class DefaultSafety {
  private DefaultSafety() {}

  public static SafetyFilter defaultFilter() {
    return LocalSafetyClassifier.create();
  }
}
