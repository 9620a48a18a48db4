package dev.storymagic;

import java.util.Set;

/** The user's own text failed the input safety check; nothing was generated. */
public final class StoryRejectedException extends StoryMagicException {
  private final SafetyVerdict verdict;

  public StoryRejectedException(SafetyVerdict verdict) {
    super(
        "the request was rejected by the safety filter: " + labels(verdict.violationTypes()), null);
    this.verdict = verdict;
  }

  /** The blocking categories. */
  public Set<SafetyCategory> violationTypes() {
    return verdict.violationTypes();
  }

  public SafetyVerdict verdict() {
    return verdict;
  }

  @Override
  public String code() {
    return "unsafe_input";
  }

  static String labels(Set<SafetyCategory> categories) {
    return String.join(", ", categories.stream().map(SafetyCategory::label).toList());
  }
}
