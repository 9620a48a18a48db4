package dev.storymagic;

import static java.util.Objects.requireNonNull;

/**
 * One thing a safety filter found.
 *
 * @param category what kind of harm
 * @param severity how serious
 * @param score the filter's confidence or the provider's score, 0 to 1
 * @param start offset of the match in the checked text (inclusive), or -1 when the finding is not
 *     tied to a span (a remote classifier's score)
 * @param end offset of the match in the checked text (exclusive), or -1
 * @param source the filter that produced it, such as {@code "local"} or {@code "openai-moderation"}
 * @param blocking whether the policy in force blocks this finding
 */
public record SafetyFinding(
    SafetyCategory category, Severity severity, double score, int start, int end, String source, boolean blocking) {
  public SafetyFinding {
    requireNonNull(category, "category");
    requireNonNull(severity, "severity");
    requireNonNull(source, "source");
    if (score < 0 || score > 1) {
      throw new IllegalArgumentException("score must be within 0..1: " + score);
    }
    if (start < -1 || end < start) {
      throw new IllegalArgumentException("invalid span: " + start + ".." + end);
    }
  }

  public boolean hasSpan() {
    return start >= 0;
  }
}
