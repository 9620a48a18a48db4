package dev.storymagic.internal;

import dev.storymagic.SafetyFilter;

/** The safety filter used when the application configures none. */
public final class DefaultSafety {
  private DefaultSafety() {}

  public static SafetyFilter defaultFilter() {
    return SafetyFilter.passThrough();
  }
}
