package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link SafetyFilter} found in a text, before any age group's policy is applied: scored
 * findings that do not depend on the audience. One assessment serves every age group through {@link
 * #verdict(AgeGroup, SafetyPolicy)}, so a text is scanned once however many audiences are judged.
 *
 * @param findings the findings, all unjudged ({@link SafetyFinding#blocking()} false; the
 *     constructor clears it)
 */
public record SafetyAssessment(List<SafetyFinding> findings) {
  private static final SafetyAssessment EMPTY = new SafetyAssessment(List.of());

  public SafetyAssessment {
    requireNonNull(findings, "findings");
    List<SafetyFinding> unjudged = new ArrayList<>(findings.size());
    for (SafetyFinding f : findings) {
      unjudged.add(requireNonNull(f, "finding").withBlocking(false));
    }
    findings = List.copyOf(unjudged);
  }

  /** An assessment with nothing found. */
  public static SafetyAssessment empty() {
    return EMPTY;
  }

  /** Whether nothing was found. */
  public boolean isEmpty() {
    return findings.isEmpty();
  }

  /**
   * Judges the findings for {@code ageGroup}: each finding blocks when {@link
   * SafetyPolicy#blocks(AgeGroup, SafetyCategory, double)} says so for its category and score.
   */
  public SafetyVerdict verdict(AgeGroup ageGroup, SafetyPolicy policy) {
    requireNonNull(ageGroup, "ageGroup");
    requireNonNull(policy, "policy");
    if (findings.isEmpty()) {
      return SafetyVerdict.clean(policy.version());
    }
    List<SafetyFinding> judged = new ArrayList<>(findings.size());
    for (SafetyFinding f : findings) {
      judged.add(f.withBlocking(policy.blocks(ageGroup, f.category(), f.score())));
    }
    return new SafetyVerdict(judged, policy.version());
  }

  /** The highest score found for {@code category}, or 0 when nothing was found for it. */
  public double score(SafetyCategory category) {
    requireNonNull(category, "category");
    double max = 0;
    for (SafetyFinding f : findings) {
      if (f.category() == category && f.score() > max) {
        max = f.score();
      }
    }
    return max;
  }

  /** The findings of both assessments. */
  public SafetyAssessment merge(SafetyAssessment other) {
    if (other.findings.isEmpty()) {
      return this;
    }
    if (findings.isEmpty()) {
      return other;
    }
    List<SafetyFinding> all = new ArrayList<>(findings);
    all.addAll(other.findings);
    return new SafetyAssessment(all);
  }
}
