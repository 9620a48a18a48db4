package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyPolicy;

/**
 * What a {@link SafetyFilter} needs besides the text.
 *
 * @param stage input (the user's text) or output (the model's story)
 * @param ageGroup the audience, whose thresholds apply
 * @param policy the policy deciding which findings block
 */
public record SafetyContext(SafetyStage stage, AgeGroup ageGroup, SafetyPolicy policy) {
  public SafetyContext {
    requireNonNull(stage, "stage");
    requireNonNull(ageGroup, "ageGroup");
    requireNonNull(policy, "policy");
  }
}
