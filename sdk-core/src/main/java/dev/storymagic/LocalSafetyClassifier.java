package dev.storymagic;

import static java.util.Objects.requireNonNull;

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
 * knee") mask what they contain, and graded severities let the {@link SafetyPolicy} allow mild
 * conflict for older readers and not for the youngest. Contact details (e-mail addresses, phone
 * numbers, street addresses) are found by dedicated scanners.
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
  public static final String LEXICON_VERSION = "2026.11-1";

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

  @Override
  public SafetyVerdict check(String text, SafetyContext context) {
    requireNonNull(text, "text");
    requireNonNull(context, "context");
    List<SafetyScanner.Hit> hits = scanner.scan(text, context.stage());
    if (hits.isEmpty()) {
      return SafetyVerdict.clean(context.policy().version());
    }
    List<SafetyFinding> findings = new ArrayList<>(hits.size());
    for (SafetyScanner.Hit hit : hits) {
      boolean blocking = context.policy().blocks(context.ageGroup(), hit.category(), hit.severity());
      findings.add(new SafetyFinding(hit.category(), hit.severity(), score(hit.severity()), hit.start(), hit.end(),
          NAME, blocking));
    }
    return new SafetyVerdict(findings, context.policy().version());
  }

  @Override
  public boolean incremental() {
    return true;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@code local-<lexicon version>}, plus a digest of the changes when built with {@link #builder()}. */
  @Override
  public String version() {
    return version;
  }

  private static double score(Severity severity) {
    switch (severity) {
      case LOW:
        return 0.5;
      case MEDIUM:
        return 0.75;
      default:
        return 0.95;
    }
  }

  private static final class Default {
    static final LocalSafetyClassifier INSTANCE =
        new LocalSafetyClassifier(new SafetyScanner(Lexicon.builtIn()), NAME + "-" + LEXICON_VERSION);
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

    /** Reports {@code pattern} as {@code category} at {@code severity}. */
    public Builder term(SafetyCategory category, Severity severity, String pattern) {
      lexicon.addTerm(requireNonNull(category, "category"), requireNonNull(severity, "severity"),
          requirePattern(pattern));
      changes.append("+").append(category.label()).append(':').append(severity).append(':').append(pattern).append(';');
      return this;
    }

    /** Never reports a finding lying wholly inside {@code pattern}, such as {@code "shooting star"}. */
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
        version += "+" + dev.storymagic.internal.CacheKeys.digest(changes.toString()).substring(0, 12);
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
