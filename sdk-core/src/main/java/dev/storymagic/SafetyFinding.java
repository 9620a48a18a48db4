package dev.storymagic;

import static java.util.Objects.requireNonNull;

import dev.storymagic.spi.SafetyAssessment;

/**
 * One thing a safety filter found.
 *
 * <p><b>Score.</b> {@code score} is the probability, 0 to 1, that the text is harmful in {@code
 * category} for a general audience, as the filter estimates it from what it saw. A finding is
 * either <em>decisive</em> or <em>evidence</em>:
 *
 * <ul>
 *   <li>{@linkplain #decisive() Decisive}: {@code score == 1.0} ({@link #DECISIVE}). The filter is
 *       certain: an explicit sexual term, a slur, self-harm instructions, personal data, a clear
 *       injection, a remote check that could not run and fails closed. It blocks for every age
 *       group whose {@link SafetyPolicy} does not {@linkplain SafetyPolicy.Builder#allow allow} the
 *       category.
 *   <li>Evidence: {@code score < 1.0}. A prior, such as the lexicon's estimate for a word that is
 *       harmful in some contexts and ordinary in others ("fight", "dead", "growled"). It blocks
 *       where the policy's threshold for the age group is at or below the score; a learned layer
 *       may weigh it against its own estimate for the whole text.
 * </ul>
 *
 * <p><b>Blocking.</b> {@code blocking} is the {@link SafetyPolicy}'s judgement for one age group
 * and is only meaningful in a {@link SafetyVerdict}; findings of a {@link SafetyAssessment} are not
 * judged yet and always hold {@code false}.
 *
 * @param category what kind of harm
 * @param severity how serious the harm described is (descriptive; blocking is decided by score)
 * @param score probability that the text is harmful in {@code category}, 0 to 1; 1 is decisive
 * @param start offset of the match in the checked text (inclusive), or -1 when the finding is not
 *     tied to a span (a remote classifier's score)
 * @param end offset of the match in the checked text (exclusive), or -1
 * @param source the filter that produced it, such as {@code "local"} or {@code "openai-moderation"}
 * @param blocking whether the policy in force blocks this finding for the verdict's age group
 */
public record SafetyFinding(
    SafetyCategory category,
    Severity severity,
    double score,
    int start,
    int end,
    String source,
    boolean blocking) {
  /** The score of a decisive finding. */
  public static final double DECISIVE = 1.0;

  public SafetyFinding {
    requireNonNull(category, "category");
    requireNonNull(severity, "severity");
    requireNonNull(source, "source");
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be within 0..1: " + score);
    }
    if (start < -1 || end < start) {
      throw new IllegalArgumentException("invalid span: " + start + ".." + end);
    }
  }

  /** An unjudged finding for a {@link SafetyAssessment}; {@code score} 1.0 makes it decisive. */
  public static SafetyFinding of(
      SafetyCategory category, Severity severity, double score, int start, int end, String source) {
    return new SafetyFinding(category, severity, score, start, end, source, false);
  }

  /**
   * Whether the filter is certain ({@code score == 1.0}): the finding blocks wherever the category
   * is not allowed.
   */
  public boolean decisive() {
    return score == DECISIVE;
  }

  public boolean hasSpan() {
    return start >= 0;
  }

  /** This finding with {@code blocking} set; itself when it already holds that value. */
  public SafetyFinding withBlocking(boolean blocking) {
    return blocking == this.blocking
        ? this
        : new SafetyFinding(category, severity, score, start, end, source, blocking);
  }
}
