package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;

/**
 * Checks text for harm. The pipeline asks every configured filter to {@link #assess} the user's
 * text before generating and the model's story before releasing it, merges the assessments and
 * judges them for the request's age group with the {@link SafetyPolicy}.
 *
 * <p>An assessment does not depend on the audience: each {@link SafetyFinding} carries a score, the
 * probability that the text is harmful in its category (1.0 when the filter is certain), and the
 * policy's per-age thresholds decide what blocks. One assessment therefore serves every age group.
 *
 * <p>Implementations must be thread-safe. A filter that cannot reach its backend decides by its own
 * outage policy whether to report a decisive finding (fail closed) or nothing (fail open); it never
 * throws for an outage.
 */
public interface SafetyFilter {

  /**
   * Scores {@code text} for every category this filter knows, independently of any age group.
   * Findings are unjudged ({@link SafetyFinding#blocking()} false).
   */
  SafetyAssessment assess(String text, SafetyStage stage);

  /**
   * Checks {@code text} for one audience: {@link #assess} judged by {@code context.policy()} for
   * {@code context.ageGroup()}. Filters need not override it.
   */
  default SafetyVerdict check(String text, SafetyContext context) {
    requireNonNull(context, "context");
    return assess(text, context.stage()).verdict(context.ageGroup(), context.policy());
  }

  /**
   * Whether this filter is cheap enough to run on every sentence of a stream before the sentence is
   * released. Remote filters return false and run on the complete story only.
   */
  default boolean incremental() {
    return true;
  }

  /**
   * The version of this filter's judgement, part of every cache key together with the policy
   * version: a filter whose rules, model or heads change must report a new version, so no story
   * judged by the old ones is served from a cache. Defaults to {@link #name()}.
   */
  default String version() {
    return name();
  }

  /** A short name for logs and findings. */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * A filter that finds nothing. Only for tests and for applications that filter elsewhere: it lets
   * every text through.
   */
  static SafetyFilter passThrough() {
    return new SafetyFilter() {
      @Override
      public SafetyAssessment assess(String text, SafetyStage stage) {
        requireNonNull(text, "text");
        return SafetyAssessment.empty();
      }

      @Override
      public String name() {
        return "pass-through";
      }
    };
  }
}
