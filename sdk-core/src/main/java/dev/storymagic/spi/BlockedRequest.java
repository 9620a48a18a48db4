package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The audit record of a request the safety layer blocked. It carries the categories, the stage and
 * the time; the child's text only when the application explicitly enables it.
 *
 * @param owner whose request it was, if known
 * @param stage input or output
 * @param categories the blocking categories
 * @param ageGroup the audience
 * @param theme the requested theme
 * @param policyVersion the policy that blocked it
 * @param at when it was blocked
 * @param text the offending text, only when text auditing is enabled
 */
public record BlockedRequest(
    Optional<String> owner,
    SafetyStage stage,
    Set<SafetyCategory> categories,
    AgeGroup ageGroup,
    String theme,
    String policyVersion,
    Instant at,
    Optional<String> text) {
  public BlockedRequest {
    requireNonNull(owner, "owner");
    requireNonNull(stage, "stage");
    categories = Set.copyOf(categories);
    requireNonNull(ageGroup, "ageGroup");
    requireNonNull(theme, "theme");
    requireNonNull(policyVersion, "policyVersion");
    requireNonNull(at, "at");
    requireNonNull(text, "text");
  }
}
