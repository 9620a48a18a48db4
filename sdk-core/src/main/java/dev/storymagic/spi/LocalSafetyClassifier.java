package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.Severity;
import dev.storymagic.internal.safety.Lexicon;
import dev.storymagic.internal.safety.SafetyScanner;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in safety filter: offline, deterministic and fast enough to run on every sentence of a
 * stream. It folds the text once (case, accents, look-alike letters from other scripts, invisible
 * characters, letters disguised as digits or symbols such as {@code k1ll}, spaced-out letters such
 * as {@code s.e.x}, and repeated letters), then finds every listed phrase of every category in one
 * pass of an Aho–Corasick automaton, whole words only. Phrases that are ordinary in children's
 * stories even though they contain a listed word ("a shooting star", "kill time", "she hurt her
 * knee") mask what they contain.
 *
 * <p><b>Strong signals and evidence.</b> The lexicon is the strong-signal layer of StoryMagic's
 * safety. Explicit sexual terms, slurs, self-harm, personal data (e-mail addresses, phone numbers,
 * street addresses, found by dedicated scanners) and clear prompt injection are {@linkplain
 * SafetyFinding#decisive() decisive}: score 1.0, blocked for every age group. Words whose harm
 * depends on context (a fight, a ghost, a death in a fairy tale) are evidence: each phrase carries
 * its own prior probability, which the {@link SafetyPolicy}'s per-age thresholds and, when
 * configured, a learned context layer weigh. One scan ({@link #assess}) serves every age group.
 *
 * <p>Prompt-injection attempts and identifying details ("my address is ...") are looked for in the
 * user's text only ({@link SafetyStage#INPUT}): in a story they are ordinary prose.
 *
 * <p>Immutable and thread-safe. {@link #create()} shares one instance built from the built-in
 * lexicon; {@link #builder()} adds or removes phrases for an application.
 */
public final class LocalSafetyClassifier implements SafetyFilter {
  private static final String NAME = "local";

  /**
   * The version of the built-in word lists. Bump it whenever a file under {@code
   * dev/storymagic/safety/} changes (a test compares their digest), so cached stories judged by the
   * old lists are not served.
   */
  public static final String LEXICON_VERSION = "2026.12-4";

  private final SafetyScanner scanner;
  private final String version;

  private LocalSafetyClassifier(SafetyScanner scanner, String version) {
    this.scanner = scanner;
    this.version = version;
  }

  /** The classifier with the built-in lexicon, built once and shared. */
  public static LocalSafetyClassifier create() {
    return Default.INSTANCE;
  }

  /** A builder starting from the built-in lexicon. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scans {@code text} once and returns its findings for every age group. Decisive findings
   * (explicit sexual terms, slurs, self-harm, personal data, clear injection) score 1.0; words that
   * are harmful in some contexts and ordinary in others (violence, fright) are evidence, scored
   * with the lexicon's prior for the phrase.
   */
  @Override
  public SafetyAssessment assess(String text, SafetyStage stage) {
    requireNonNull(text, "text");
    requireNonNull(stage, "stage");
    List<SafetyScanner.Hit> hits = scanner.scan(text, stage);
    if (hits.isEmpty()) {
      return SafetyAssessment.empty();
    }
    List<SafetyFinding> findings = new ArrayList<>(hits.size());
    for (SafetyScanner.Hit hit : hits) {
      findings.add(
          SafetyFinding.of(
              hit.category(), hit.severity(), hit.score(), hit.start(), hit.end(), NAME));
    }
    return new SafetyAssessment(findings);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@code local-<lexicon version>}, plus a digest of the changes when built with {@link
   * #builder()}.
   */
  @Override
  public String version() {
    return version;
  }

  private static final class Default {
    static final LocalSafetyClassifier INSTANCE =
        new LocalSafetyClassifier(
            new SafetyScanner(Lexicon.builtIn()), NAME + "-" + LEXICON_VERSION);
  }

  /**
   * Adds phrases to, or removes them from, the built-in lexicon. Patterns are matched as whole
   * words after folding; {@code word/v} adds verb forms ({@code kick/v}: kicks, kicked, kicking),
   * {@code word/n} plurals, and {@code (a|b)} alternatives, {@code (a)?} an optional part.
   */
  public static final class Builder {
    private final Lexicon lexicon = Lexicon.builtIn().copy();
    private final StringBuilder changes = new StringBuilder();

    private Builder() {}

    /**
     * Reports {@code pattern} as a decisive {@code category} finding (score 1.0) at {@code
     * severity}.
     */
    public Builder term(SafetyCategory category, Severity severity, String pattern) {
      return term(category, severity, SafetyFinding.DECISIVE, pattern);
    }

    /**
     * Reports {@code pattern} as evidence of {@code category}: a finding scored {@code prior}, the
     * probability, within {@code (0, 1)}, that a text holding the phrase is harmful in the
     * category.
     */
    public Builder evidence(
        SafetyCategory category, Severity severity, double prior, String pattern) {
      if (!(prior > 0 && prior < 1)) {
        throw new IllegalArgumentException(
            "prior must be within (0, 1); use term(...) for a decisive phrase: " + prior);
      }
      return term(category, severity, prior, pattern);
    }

    private Builder term(SafetyCategory category, Severity severity, double score, String pattern) {
      lexicon.addTerm(
          requireNonNull(category, "category"),
          requireNonNull(severity, "severity"),
          score,
          requirePattern(pattern));
      changes
          .append("+")
          .append(category.label())
          .append(':')
          .append(severity)
          .append(':')
          .append(score)
          .append(':')
          .append(pattern)
          .append(';');
      return this;
    }

    /**
     * Never reports a finding lying wholly inside {@code pattern}, such as {@code "shooting star"}.
     */
    public Builder allow(String pattern) {
      lexicon.addAllow(requirePattern(pattern));
      changes.append("=").append(pattern).append(';');
      return this;
    }

    /** Removes every built-in or added term whose phrase is one of {@code pattern}'s. */
    public Builder remove(String pattern) {
      lexicon.removeTerms(requirePattern(pattern));
      changes.append("-").append(pattern).append(';');
      return this;
    }

    public LocalSafetyClassifier build() {
      String version = NAME + "-" + LEXICON_VERSION;
      if (changes.length() > 0) {
        version +=
            "+" + dev.storymagic.internal.CacheKeys.digest(changes.toString()).substring(0, 12);
      }
      return new LocalSafetyClassifier(new SafetyScanner(lexicon), version);
    }

    private static String requirePattern(String pattern) {
      requireNonNull(pattern, "pattern");
      if (pattern.isBlank()) {
        throw new IllegalArgumentException("pattern must not be blank");
      }
      if (pattern.indexOf(';') >= 0) {
        throw new IllegalArgumentException("pattern must not contain ';': " + pattern);
      }
      return pattern;
    }
  }
}
