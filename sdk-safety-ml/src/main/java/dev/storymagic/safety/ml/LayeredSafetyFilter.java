package dev.storymagic.safety.ml;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.Severity;
import dev.storymagic.safety.ml.internal.Heads;
import dev.storymagic.safety.ml.internal.LearnedScanner;
import dev.storymagic.safety.ml.internal.LexiconSource;
import dev.storymagic.safety.ml.internal.MiniLmEncoder;
import dev.storymagic.safety.ml.internal.SharedEncoder;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * StoryMagic's layered safety filter: the lexicon of {@link LocalSafetyClassifier} as the strong
 * signal, and a learned context layer that runs locally with no network — MiniLM sentence
 * embeddings (ONNX Runtime) read by trained, calibrated heads per category group (sexual,
 * hate/harassment, violence, self-harm, illicit, and injection on the user's text).
 *
 * <p>The lexicon's decisive findings (explicit sexual terms, slurs, self-harm instructions,
 * personal data, clear injections) stand. Its evidence (violence, fright, threats, drugs: words
 * whose harm depends on context) is fed with the embedding into the heads, whose calibrated
 * probability replaces it; {@link #policy()} holds the thresholds per category and age group chosen
 * on validation data. An assessment does not depend on the audience, and the scan is also kept in a
 * small bounded cache, so the same text checked for another age group costs a look-up.
 *
 * <pre>{@code
 * LayeredSafetyFilter layered = LayeredSafetyFilter.create().warmUp();
 * StoryMagic magic = StoryMagic.builder().safety(layered).safetyPolicy(layered.policy()).build();
 * }</pre>
 *
 * <p>The model is loaded on the first check (or by {@link #warmUp()}), once, and shared by every
 * thread; {@link #close()} releases it. Thread-safe. {@linkplain SafetyFilter#incremental()
 * Incremental}: it runs on every sentence of a stream, a sentence being one window, a few
 * milliseconds.
 */
public final class LayeredSafetyFilter implements SafetyFilter, AutoCloseable {
  private static final String NAME = "layered";
  private static final String LEARNED = "learned";

  /** Lowest learned probability reported as a finding. */
  public static final double REPORT_FLOOR = 0.05;

  private final LocalSafetyClassifier lexicon;
  private final Heads heads;
  private final int intraOpThreads;
  private final int maxWindows;
  private final int minOutputTokens;
  private final String version;
  private final SafetyPolicy policy;
  private final Cache<ScanKey, Scan> scans;
  private final Object lock = new Object();
  private volatile LearnedScanner scanner;
  private volatile MiniLmEncoder encoder;
  private volatile boolean closed;

  private LayeredSafetyFilter(Builder b) {
    this.lexicon = b.lexicon;
    this.heads = b.heads;
    this.intraOpThreads = b.intraOpThreads;
    this.maxWindows = b.maxWindows;
    this.minOutputTokens = b.minOutputTokens;
    this.version =
        NAME
            + "-"
            + lexicon.version()
            + "+heads-"
            + heads.digest().substring(0, 12)
            + "+w"
            + heads.maxTokens()
            + "x"
            + maxWindows
            + "+min"
            + minOutputTokens;
    this.policy = policyOf(heads);
    // Caffeine evicts over its bound asynchronously, so a zero bound would still hit now and then:
    // no cache at all then.
    this.scans =
        b.scanCacheChars == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(b.scanCacheChars)
                .weigher((ScanKey k, Scan s) -> k.text().length() + 64)
                .build();
  }

  /**
   * Changes with the lexicon's version, the heads file (weights, calibration and thresholds, by
   * digest; the heads also pin the model's digest) and the windowing, so no text judged by an older
   * layer is served from a cache.
   */
  @Override
  public String version() {
    return version;
  }

  /** The filter with the built-in lexicon and heads; the model loads on first use. */
  public static LayeredSafetyFilter create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Loads the model now rather than on the first check, so start-up pays for it, not a request. */
  public LayeredSafetyFilter warmUp() {
    scanner();
    return this;
  }

  /**
   * The lexicon's decisive findings as they are; for every category group whose head runs at this
   * stage, the calibrated probability in place of the lexicon's evidence (which it has weighed);
   * the lexicon's evidence for categories no head covers here (profanity, personal data). A group's
   * finding is reported from probability {@value #REPORT_FLOOR}, so a policy with lower thresholds
   * than {@link #policy()} still sees it.
   */
  @Override
  public SafetyAssessment assess(String text, SafetyStage stage) {
    requireNonNull(text, "text");
    requireNonNull(stage, "stage");
    Scan scan = scan(text, stage);
    Set<SafetyCategory> learned = EnumSet.noneOf(SafetyCategory.class);
    for (LearnedScanner.GroupScore g : scan.groups()) {
      learned.addAll(g.head().members());
    }
    List<SafetyFinding> findings = new ArrayList<>(scan.lexicon().size() + scan.groups().size());
    for (SafetyFinding f : scan.lexicon()) {
      if (f.decisive() || !learned.contains(f.category())) {
        findings.add(f);
      }
    }
    for (LearnedScanner.GroupScore g : scan.groups()) {
      if (g.probability() >= REPORT_FLOOR) {
        findings.add(
            SafetyFinding.of(
                g.category(),
                severity(g.probability()),
                g.probability(),
                g.start(),
                g.end(),
                LEARNED));
      }
    }
    return new SafetyAssessment(findings);
  }

  /**
   * The policy the heads' thresholds were chosen for: per age group, each category of a group
   * blocks from the threshold chosen on validation data; every other category as in {@link
   * SafetyPolicy#defaults()}. Its version names the heads, so it changes with them.
   */
  public SafetyPolicy policy() {
    return policy;
  }

  private static SafetyPolicy policyOf(Heads heads) {
    SafetyPolicy.Builder b =
        SafetyPolicy.defaults().toBuilder().version("layered-" + heads.digest().substring(0, 12));
    for (Heads.Head h : heads.heads()) {
      for (SafetyCategory c : h.members()) {
        for (AgeGroup age : AgeGroup.values()) {
          b.threshold(age, c, h.threshold(age));
        }
      }
    }
    return b.build();
  }

  /** Descriptive only (the policy blocks by score): how sure the layer is. */
  private static Severity severity(double p) {
    return p >= 0.85 ? Severity.HIGH : p >= 0.6 ? Severity.MEDIUM : Severity.LOW;
  }

  private Scan scan(String text, SafetyStage stage) {
    if (scans == null) {
      return scanNow(text, stage);
    }
    return scans.get(new ScanKey(stage, text), k -> scanNow(text, stage));
  }

  private Scan scanNow(String text, SafetyStage stage) {
    List<SafetyFinding> lex = LexiconSource.findings(lexicon, text, stage);
    return new Scan(lex, scanner().scan(text, stage, lex));
  }

  private LearnedScanner scanner() {
    LearnedScanner s = scanner;
    if (s != null && !closed) {
      return s;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the layered safety filter is closed");
      }
      if (scanner == null) {
        MiniLmEncoder e = SharedEncoder.acquire(intraOpThreads);
        if (!heads.modelSha256().isEmpty() && !heads.modelSha256().equals(e.modelSha256())) {
          SharedEncoder.release(e);
          throw new IllegalStateException(
              "the heads were trained on another MiniLM model (sha256 "
                  + heads.modelSha256()
                  + ", found "
                  + e.modelSha256()
                  + "); retrain them");
        }
        encoder = e;
        scanner = new LearnedScanner(e, heads, maxWindows, minOutputTokens);
      }
      return scanner;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Releases the model; idempotent. A check after closing fails. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (scans != null) {
        scans.invalidateAll();
      }
      if (encoder != null) {
        SharedEncoder.release(encoder);
        encoder = null;
        scanner = null;
      }
    }
  }

  private record ScanKey(SafetyStage stage, String text) {}

  private record Scan(List<SafetyFinding> lexicon, List<LearnedScanner.GroupScore> groups) {}

  /** Options of {@link LayeredSafetyFilter}. */
  public static final class Builder {
    /** Default: enough windows for a story of about 6,000 words. */
    public static final int DEFAULT_MAX_WINDOWS = 64;

    /**
     * Default: story text under 8 tokens is judged by the lexicon alone. Streaming checks a story
     * sentence by sentence, and on a lone "Hooray!" or "What could they do?" the hate/harassment
     * head (trained partly on short tweets) scored 0.45-0.52, over its threshold.
     */
    public static final int DEFAULT_MIN_OUTPUT_TOKENS = 8;

    /** Default: about 4 M characters of scanned texts remembered. */
    public static final long DEFAULT_SCAN_CACHE_CHARS = 4_000_000;

    private LocalSafetyClassifier lexicon = LocalSafetyClassifier.create();
    private Heads heads;
    private int intraOpThreads = 1;
    private int maxWindows = DEFAULT_MAX_WINDOWS;
    private long scanCacheChars = DEFAULT_SCAN_CACHE_CHARS;
    private int minOutputTokens = DEFAULT_MIN_OUTPUT_TOKENS;
    private boolean lexiconSet;

    private Builder() {}

    /** The lexicon layer; default {@link LocalSafetyClassifier#create()}. */
    public Builder lexicon(LocalSafetyClassifier lexicon) {
      if (lexiconSet) {
        throw new IllegalStateException("lexicon was already set");
      }
      this.lexicon = requireNonNull(lexicon, "lexicon");
      lexiconSet = true;
      return this;
    }

    /**
     * Heads from a file written by the training command instead of the built-in ones (the stream is
     * read and closed here). The filter's version follows the file's digest.
     */
    public Builder heads(InputStream headsJson) {
      if (heads != null) {
        throw new IllegalStateException("heads were already set");
      }
      this.heads = Heads.read(requireNonNull(headsJson, "headsJson"));
      return this;
    }

    /**
     * Threads one inference may use, 1 to 64; default 1: a server checks many texts at once, and
     * one core per check keeps the others free.
     */
    public Builder intraOpThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("intraOpThreads must be within 1..64: " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Windows of 128 tokens embedded per text, 1 to 1,024; default {@value #DEFAULT_MAX_WINDOWS}
     * (about 6,000 words). Text past the last window is seen by the lexicon only.
     */
    public Builder maxWindows(int windows) {
      if (windows < 1 || windows > 1024) {
        throw new IllegalArgumentException("maxWindows must be within 1..1024: " + windows);
      }
      this.maxWindows = windows;
      return this;
    }

    /**
     * Story text (output stage) shorter than this many tokens is judged by the lexicon alone, 0 to
     * 128; default {@value #DEFAULT_MIN_OUTPUT_TOKENS}. The user's text is always scored.
     */
    public Builder minOutputTokens(int tokens) {
      if (tokens < 0 || tokens > 128) {
        throw new IllegalArgumentException("minOutputTokens must be within 0..128: " + tokens);
      }
      this.minOutputTokens = tokens;
      return this;
    }

    /**
     * Characters of scanned text whose scan is kept for other age groups, 0 (none) or more; default
     * 4 M.
     */
    public Builder scanCacheChars(long chars) {
      if (chars < 0) {
        throw new IllegalArgumentException("scanCacheChars cannot be negative: " + chars);
      }
      this.scanCacheChars = chars;
      return this;
    }

    public LayeredSafetyFilter build() {
      if (heads == null) {
        heads = Heads.builtIn();
      }
      return new LayeredSafetyFilter(this);
    }
  }
}
