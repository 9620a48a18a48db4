package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Which findings block, per age group: for each category, the probability at or above which a
 * {@link SafetyFinding#score()} blocks, or none (the category is allowed; findings are still
 * reported). Thresholds lie in {@code (0, 1]}, so a {@linkplain SafetyFinding#decisive() decisive}
 * finding (score 1.0) blocks wherever its category is not allowed. Immutable and versioned; the
 * version is part of every cache key, so changing a threshold never serves a story judged under an
 * older one.
 *
 * <p>The defaults ({@value #DEFAULT_VERSION}) block every category from {@value
 * #DEFAULT_THRESHOLD}, except violence (graphic violence included) and frightening themes, which
 * grow more permissive with age: 0.5 for ages 3–5, 0.7 for 6–8, 0.9 for 9–12. The lexicon scores a
 * single story word ("fought", "ghost", "dead") 0.25 to 0.3, a hurtful act ("killed the dragon",
 * "punched") 0.6, harm done to a person ("killed him") 0.8, the traditional peril of fairy tales (a
 * beheading) 0.85, and gore, mass violence and killing "to death" 0.95: a knight fighting a dragon
 * is fine for every age, the hunter who killed the wolf is not for ages 3–5, a woodcutter who
 * killed the robber is for ages 9–12, and gore for none. A mention of wine or tobacco (0.4) blocks
 * nobody; drinking, smoking and drugs (0.8) block everyone.
 */
public final class SafetyPolicy {
  /** The version of {@link #defaults()}. */
  public static final String DEFAULT_VERSION = "default-2";

  /** The default threshold of every category not named in the class description: 0.5. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private static final int CATEGORIES = SafetyCategory.values().length;
  private static final SafetyCategory[] AGE_GRADED = {
    SafetyCategory.VIOLENCE, SafetyCategory.VIOLENCE_GRAPHIC, SafetyCategory.FRIGHTENING
  };
  // After CATEGORIES, which the builder needs.
  private static final SafetyPolicy DEFAULTS = defaultsBuilder().build();

  private final String version;

  /** Thresholds by age group and category ordinal; NaN where the category is allowed. */
  private final Map<AgeGroup, double[]> thresholds;

  private final int maxOutputAttempts;

  private SafetyPolicy(Builder b) {
    this.version = b.version;
    Map<AgeGroup, double[]> copy = new EnumMap<>(AgeGroup.class);
    b.thresholds.forEach((age, t) -> copy.put(age, t.clone()));
    this.thresholds = copy;
    this.maxOutputAttempts = b.maxOutputAttempts;
  }

  /** The default policy, version {@value #DEFAULT_VERSION}. */
  public static SafetyPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults; give it a new {@link Builder#version(String)}. */
  public static Builder builder() {
    return defaultsBuilder().version(null);
  }

  private static Builder defaultsBuilder() {
    Builder b = new Builder().version(DEFAULT_VERSION);
    for (AgeGroup age : AgeGroup.values()) {
      for (SafetyCategory c : SafetyCategory.values()) {
        b.threshold(age, c, DEFAULT_THRESHOLD);
      }
    }
    for (SafetyCategory c : AGE_GRADED) {
      b.threshold(AgeGroup.AGES_3_5, c, 0.5);
      b.threshold(AgeGroup.AGES_6_8, c, 0.7);
      b.threshold(AgeGroup.AGES_9_12, c, 0.9);
    }
    return b;
  }

  public String version() {
    return version;
  }

  /**
   * How many stories the pipeline may generate for one request before giving up on an unsafe
   * output.
   */
  public int maxOutputAttempts() {
    return maxOutputAttempts;
  }

  /**
   * The probability at or above which {@code category} blocks for {@code ageGroup}; empty when it
   * is allowed.
   */
  public OptionalDouble threshold(AgeGroup ageGroup, SafetyCategory category) {
    double t =
        thresholds
            .get(requireNonNull(ageGroup, "ageGroup"))[
            requireNonNull(category, "category").ordinal()];
    return Double.isNaN(t) ? OptionalDouble.empty() : OptionalDouble.of(t);
  }

  /** Whether a finding of this category and score blocks a text for this age group. */
  public boolean blocks(AgeGroup ageGroup, SafetyCategory category, double score) {
    double t = thresholds.get(ageGroup)[category.ordinal()];
    return score >= t; // false for NaN: an allowed category never blocks
  }

  public Builder toBuilder() {
    Builder b = new Builder().version(null);
    thresholds.forEach((age, t) -> System.arraycopy(t, 0, b.thresholds.get(age), 0, CATEGORIES));
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
    private final Map<AgeGroup, double[]> thresholds = new EnumMap<>(AgeGroup.class);
    private int maxOutputAttempts = 3;

    private Builder() {
      for (AgeGroup age : AgeGroup.values()) {
        double[] t = new double[CATEGORIES];
        Arrays.fill(t, Double.NaN);
        thresholds.put(age, t);
      }
    }

    /**
     * The version recorded in verdicts and cache keys; required when the policy differs from the
     * defaults.
     */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /**
     * Blocks {@code category} for {@code ageGroup} when a finding's score is at least {@code
     * probability}, which lies in {@code (0, 1]} (1 blocks decisive findings only).
     */
    public Builder threshold(AgeGroup ageGroup, SafetyCategory category, double probability) {
      requireNonNull(ageGroup, "ageGroup");
      requireNonNull(category, "category");
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException("threshold must be within (0, 1]: " + probability);
      }
      thresholds.get(ageGroup)[category.ordinal()] = probability;
      return this;
    }

    /**
     * Never blocks {@code category} for {@code ageGroup}, not even decisive findings; they are
     * still reported.
     */
    public Builder allow(AgeGroup ageGroup, SafetyCategory category) {
      thresholds
              .get(requireNonNull(ageGroup, "ageGroup"))[
              requireNonNull(category, "category").ordinal()] =
          Double.NaN;
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
        throw new IllegalStateException(
            "a customised safety policy needs a version (it is part of the cache key)");
      }
      return new SafetyPolicy(this);
    }
  }
}
