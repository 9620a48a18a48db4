package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which findings block, per age group: for each category, the lowest severity that blocks, or none
 * (the category is allowed at every severity). Immutable and versioned; the version is part of
 * every cache key, so changing a policy never serves a story judged under an older one.
 *
 * <p>The defaults block everything at any severity except violence and frightening themes, which
 * grow more permissive with age (ages 3–5 block from {@link Severity#LOW}, 6–8 from {@link
 * Severity#MEDIUM}, 9–12 from {@link Severity#HIGH}: a knight fighting a dragon is fine for ages
 * 9–12, not for ages 3–5), and the mere mention of alcohol or tobacco, which ages 9–12 may read
 * (they block illicit content from {@link Severity#MEDIUM}).
 */
public final class SafetyPolicy {
  private static final SafetyPolicy DEFAULTS = defaultsBuilder().build();

  private final String version;
  private final Map<AgeGroup, Map<SafetyCategory, Severity>> blockFrom;
  private final int maxOutputAttempts;

  private SafetyPolicy(Builder b) {
    this.version = b.version;
    Map<AgeGroup, Map<SafetyCategory, Severity>> copy = new EnumMap<>(AgeGroup.class);
    b.blockFrom.forEach((age, map) -> copy.put(age, Collections.unmodifiableMap(new EnumMap<>(map))));
    this.blockFrom = Collections.unmodifiableMap(copy);
    this.maxOutputAttempts = b.maxOutputAttempts;
  }

  /** The default policy, version {@code "default-1"}. */
  public static SafetyPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults; give it a new {@link Builder#version(String)}. */
  public static Builder builder() {
    return defaultsBuilder().version(null);
  }

  private static Builder defaultsBuilder() {
    Builder b = new Builder().version("default-1");
    for (AgeGroup age : AgeGroup.values()) {
      for (SafetyCategory c : SafetyCategory.values()) {
        b.blockFrom(age, c, Severity.LOW);
      }
    }
    b.blockFrom(AgeGroup.AGES_6_8, SafetyCategory.VIOLENCE, Severity.MEDIUM);
    b.blockFrom(AgeGroup.AGES_9_12, SafetyCategory.VIOLENCE, Severity.HIGH);
    b.blockFrom(AgeGroup.AGES_6_8, SafetyCategory.FRIGHTENING, Severity.MEDIUM);
    b.blockFrom(AgeGroup.AGES_9_12, SafetyCategory.FRIGHTENING, Severity.HIGH);
    // A glass of wine at a feast is a story for older readers; drinking, smoking and drugs are not.
    b.blockFrom(AgeGroup.AGES_9_12, SafetyCategory.ILLICIT, Severity.MEDIUM);
    return b;
  }

  public String version() {
    return version;
  }

  /** How many stories the pipeline may generate for one request before giving up on an unsafe output. */
  public int maxOutputAttempts() {
    return maxOutputAttempts;
  }

  /** The lowest severity at which {@code category} blocks for {@code ageGroup}, if it blocks at all. */
  public Optional<Severity> blockingSeverity(AgeGroup ageGroup, SafetyCategory category) {
    return Optional.ofNullable(blockFrom.get(ageGroup).get(category));
  }

  /** Whether a finding of this category and severity blocks a story for this age group. */
  public boolean blocks(AgeGroup ageGroup, SafetyCategory category, Severity severity) {
    Severity threshold = blockFrom.get(ageGroup).get(category);
    return threshold != null && severity.atLeast(threshold);
  }

  public Builder toBuilder() {
    Builder b = new Builder().version(null);
    blockFrom.forEach((age, map) -> b.blockFrom.get(age).putAll(map));
    b.maxOutputAttempts = maxOutputAttempts;
    return b;
  }

  @Override
  public String toString() {
    return "SafetyPolicy{version=" + version + "}";
  }

  /** Builds {@link SafetyPolicy} values. */
  public static final class Builder {
    private String version;
    private final Map<AgeGroup, Map<SafetyCategory, Severity>> blockFrom = new EnumMap<>(AgeGroup.class);
    private int maxOutputAttempts = 3;

    private Builder() {
      for (AgeGroup age : AgeGroup.values()) {
        blockFrom.put(age, new EnumMap<>(SafetyCategory.class));
      }
    }

    /** The version recorded in verdicts and cache keys; required when the policy differs from the defaults. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** Blocks {@code category} for {@code ageGroup} from {@code severity} upwards. */
    public Builder blockFrom(AgeGroup ageGroup, SafetyCategory category, Severity severity) {
      blockFrom.get(requireNonNull(ageGroup, "ageGroup")).put(requireNonNull(category, "category"),
          requireNonNull(severity, "severity"));
      return this;
    }

    /** Never blocks {@code category} for {@code ageGroup}; findings are still reported. */
    public Builder allow(AgeGroup ageGroup, SafetyCategory category) {
      blockFrom.get(requireNonNull(ageGroup, "ageGroup")).remove(requireNonNull(category, "category"));
      return this;
    }

    /** Stories generated per request before an unsafe output fails it; 1 to 10, default 3. */
    public Builder maxOutputAttempts(int attempts) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException("maxOutputAttempts must be within 1..10: " + attempts);
      }
      this.maxOutputAttempts = attempts;
      return this;
    }

    public SafetyPolicy build() {
      if (version == null || version.isBlank()) {
        throw new IllegalStateException("a customised safety policy needs a version (it is part of the cache key)");
      }
      return new SafetyPolicy(this);
    }
  }
}
