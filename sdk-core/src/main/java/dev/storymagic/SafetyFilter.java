package dev.storymagic;

import java.util.List;

/**
 * Checks text for harm. The pipeline calls every configured filter on the user's text before
 * generating and on the model's story before releasing it.
 *
 * <p>Implementations must be thread-safe. A filter that cannot reach its backend decides by its
 * own outage policy whether to report a blocking finding (fail closed) or nothing (fail open); it
 * never throws for an outage.
 */
public interface SafetyFilter {

  /** Checks {@code text}; findings are marked blocking according to {@code context.policy()}. */
  SafetyVerdict check(String text, SafetyContext context);

  /**
   * Whether this filter is cheap enough to run on every sentence of a stream before the sentence
   * is released. Remote filters return false and run on the complete story only.
   */
  default boolean incremental() {
    return true;
  }

  /**
   * The version of this filter's judgement, part of every cache key together with the policy
   * version: a filter whose rules change must report a new version, so no story judged by the old
   * rules is served from a cache. Defaults to {@link #name()}.
   */
  default String version() {
    return name();
  }

  /** A short name for logs and findings. */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * A filter that finds nothing. Only for tests and for applications that filter elsewhere: it
   * lets every text through.
   */
  static SafetyFilter passThrough() {
    return new SafetyFilter() {
      @Override
      public SafetyVerdict check(String text, SafetyContext context) {
        return new SafetyVerdict(List.of(), context.policy().version());
      }

      @Override
      public String name() {
        return "pass-through";
      }
    };
  }
}
