package dev.storymagic.safety.eval.internal;

import dev.storymagic.safety.eval.SafetyFilterProvider;
import dev.storymagic.spi.SafetyFilter;

/** {@code none}: blocks nothing; the floor every filter's figures are read against. */
public final class PassThroughProvider implements SafetyFilterProvider {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public String description() {
    return "SafetyFilter.passThrough(): blocks nothing (floor for comparisons)";
  }

  @Override
  public SafetyFilter create() {
    return SafetyFilter.passThrough();
  }
}
