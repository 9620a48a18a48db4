package dev.storymagic;

import java.util.Set;

/**
 * Every story the model wrote for this request failed the output safety check, within the policy's
 * attempt budget. No unsafe text was returned or stored.
 */
public final class UnsafeStoryException extends StoryMagicException {
  private final SafetyVerdict lastVerdict;
  private final int attempts;

  public UnsafeStoryException(SafetyVerdict lastVerdict, int attempts) {
    super(
        "no safe story after "
            + attempts
            + " attempt(s); last violations: "
            + StoryRejectedException.labels(lastVerdict.violationTypes()),
        null);
    this.lastVerdict = lastVerdict;
    this.attempts = attempts;
  }

  public Set<SafetyCategory> violationTypes() {
    return lastVerdict.violationTypes();
  }

  public SafetyVerdict lastVerdict() {
    return lastVerdict;
  }

  public int attempts() {
    return attempts;
  }

  @Override
  public String code() {
    return "unsafe_output";
  }
}
