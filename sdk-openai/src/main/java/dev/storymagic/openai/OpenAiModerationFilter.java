package dev.storymagic.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.Severity;
import dev.storymagic.openai.internal.HttpTransport;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A remote {@link SafetyFilter} on OpenAI's moderation endpoint ({@code POST /moderations}, model
 * {@value #DEFAULT_MODEL}). Add it after the local classifier:
 *
 * <pre>{@code
 * StoryMagic magic = StoryMagic.builder()
 *     .model(model)
 *     .moderation(OpenAiModerationFilter.create(model))   // shares the model's key and connection pool
 *     .build();
 * }</pre>
 *
 * <p><b>Mapping.</b> Each moderation category ({@code sexual}, {@code sexual/minors}, {@code
 * harassment}, {@code harassment/threatening}, {@code hate}, {@code hate/threatening}, {@code
 * illicit}, {@code illicit/violent}, {@code self-harm}, {@code self-harm/intent}, {@code
 * self-harm/instructions}, {@code violence}, {@code violence/graphic}) maps to the {@link
 * SafetyCategory} of the same label, with the provider's score as the finding's score. Categories
 * scoring at least 0.3 (see {@link Builder#severityThresholds}) or flagged by the provider are
 * reported; the score also names a descriptive severity: at least 0.8 {@code HIGH}, at least 0.5
 * {@code MEDIUM}, else {@code LOW}. Whether a finding blocks is the {@link
 * dev.storymagic.SafetyPolicy}'s decision: its threshold for the category and age group against the
 * score. One call serves every age group ({@link #assess}).
 *
 * <p><b>Caching.</b> Scores are cached by the SHA-256 of the text (10,000 entries for an hour by
 * default), so checking a story again, for another stage or age group, costs no request; concurrent
 * checks of one text share one request. Failures are not cached.
 *
 * <p><b>Outages.</b> A failed, slow (default limit 5 seconds) or unreadable moderation call never
 * throws; the stage's {@link OutagePolicy} decides. A server with no {@code /moderations} endpoint
 * (HTTP 404, 405 or 501: Ollama, vLLM, llama.cpp's server) is not down but <em>absent</em>: that is
 * logged once as an error naming the fix, the endpoint is asked again only every 10 minutes, and
 * the outage policy answers meanwhile with findings from source {@value #ABSENT_SOURCE} rather than
 * {@value #UNAVAILABLE_SOURCE}. For such servers use {@link LlamaGuardFilter} or no remote filter.
 * By default the output <em>fails closed</em>: the assessment holds one decisive finding (score
 * 1.0) from source {@value #UNAVAILABLE_SOURCE}, of category {@link SafetyCategory#UNVERIFIED} (see
 * {@link Builder#failClosedCategory}); no story goes out unchecked for any age group whose policy
 * does not {@linkplain dev.storymagic.SafetyPolicy.Builder#allow allow} that category. The input
 * <em>fails open</em>: no remote findings, leaving the decision to the local classifier, which ran
 * first.
 *
 * <p>Not incremental: the pipeline runs it on whole stories, not on each streamed sentence.
 * Thread-safe; {@link #close()} releases its share of the connection pool.
 */
public final class OpenAiModerationFilter extends RemoteFilter<OpenAiModerationFilter.Scores> {
  /** The moderation model used unless {@link Builder#model(String)} names another. */
  public static final String DEFAULT_MODEL = "omni-moderation-latest";

  /** Default limit for one moderation call, connecting included: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** Default number of cached verdict scores: 10,000 texts. */
  public static final long DEFAULT_CACHE_SIZE = 10_000;

  /** Default time a text's scores stay cached: 1 hour. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);

  /** Default score from which a category is reported, as {@code LOW}: 0.3. */
  public static final double DEFAULT_LOW_THRESHOLD = 0.3;

  /** Default score from which a finding is {@code MEDIUM}: 0.5. */
  public static final double DEFAULT_MEDIUM_THRESHOLD = 0.5;

  /** Default score from which a finding is {@code HIGH}: 0.8. */
  public static final double DEFAULT_HIGH_THRESHOLD = 0.8;

  /** The source of findings from moderation scores. */
  public static final String SOURCE = "openai-moderation";

  /** The source of the finding a fail-closed outage produces. */
  public static final String UNAVAILABLE_SOURCE = "openai-moderation-unavailable";

  /**
   * The source of the finding a fail-closed stage reports when the server has no moderation
   * endpoint.
   */
  public static final String ABSENT_SOURCE = "openai-moderation-absent";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  /** The scores the endpoint gave one text, by category label, and the labels it flagged. */
  record Scores(Map<String, Double> scores, Set<String> flagged) {}

  private final double low;
  private final double medium;
  private final double high;

  private OpenAiModerationFilter(Builder b, OpenAiConnection connection, HttpTransport transport) {
    super(b, SOURCE, b.calls("moderation", JSON, connection, transport, MAX_BODY_BYTES));
    this.low = b.low;
    this.medium = b.medium;
    this.high = b.high;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A filter with the defaults that shares {@code model}'s endpoint, key and connection pool. */
  public static OpenAiModerationFilter create(OpenAiStoryModel model) {
    return builder().from(model).build();
  }

  /**
   * Moderates {@code text}, from the cache when it was seen before. Never throws for an outage: the
   * stage's {@link OutagePolicy} answers instead.
   */
  @Override
  public SafetyAssessment assess(String text, SafetyStage stage) {
    return verdicts.assess(text, stage, this::fetch, this::findings);
  }

  // ------------------------------------------------------------------ scores

  private Scores fetch(String text) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("input", text);
    return parse(calls.post("moderations", body, "this server has no moderation endpoint"));
  }

  private static Scores parse(JsonNode body) {
    JsonNode result = body.path("results").path(0);
    JsonNode scores = result.path("category_scores");
    if (!scores.isObject()) {
      throw new IllegalStateException("moderation answer without results[0].category_scores");
    }
    Map<String, Double> byLabel = new java.util.HashMap<>();
    for (Map.Entry<String, JsonNode> e : scores.properties()) {
      if (e.getValue().isNumber()) {
        byLabel.put(e.getKey(), Math.max(0, Math.min(1, e.getValue().asDouble())));
      }
    }
    Set<String> flagged = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : result.path("categories").properties()) {
      if (e.getValue().asBoolean(false)) {
        flagged.add(e.getKey());
      }
    }
    return new Scores(Map.copyOf(byLabel), Set.copyOf(flagged));
  }

  private List<SafetyFinding> findings(Scores scores) {
    Set<String> labels = new java.util.TreeSet<>(scores.scores().keySet());
    labels.addAll(scores.flagged());
    List<SafetyFinding> findings = new ArrayList<>();
    for (String label : labels) {
      Optional<SafetyCategory> category = SafetyCategory.fromLabel(label);
      if (category.isEmpty()) {
        continue;
      }
      double score = scores.scores().getOrDefault(label, 0.0);
      if (score >= low || scores.flagged().contains(label)) {
        Severity severity =
            score >= high ? Severity.HIGH : score >= medium ? Severity.MEDIUM : Severity.LOW;
        findings.add(SafetyFinding.of(category.get(), severity, score, -1, -1, SOURCE));
      }
    }
    return findings;
  }

  /**
   * Builds {@link OpenAiModerationFilter}. Either {@link #from(OpenAiStoryModel)} a model (sharing
   * its endpoint, credentials and connection pool) or give the endpoint directly; setting an option
   * twice is an {@link IllegalStateException}.
   */
  public static final class Builder extends RemoteFilterBuilder<Builder> {
    private double low = DEFAULT_LOW_THRESHOLD;
    private double medium = DEFAULT_MEDIUM_THRESHOLD;
    private double high = DEFAULT_HIGH_THRESHOLD;

    private Builder() {
      super(DEFAULT_MODEL, DEFAULT_TIMEOUT);
    }

    /** The moderation model's name: not blank. */
    @Override
    void checkModel(String model) {
      require(!model.isBlank(), "model cannot be blank");
    }

    /**
     * Scores from which a category is reported (as {@code LOW}) and from which its descriptive
     * severity is {@code MEDIUM} and {@code HIGH}; {@code 0 < low <= medium <= high <= 1}. Default
     * 0.3, 0.5, 0.8. Blocking is the policy's threshold on the score, not the severity.
     */
    public Builder severityThresholds(double low, double medium, double high) {
      once("severityThresholds");
      require(
          low > 0 && low <= medium && medium <= high && high <= 1,
          "thresholds must satisfy 0 < low <= medium <= high <= 1: "
              + low
              + ", "
              + medium
              + ", "
              + high);
      this.low = low;
      this.medium = medium;
      this.high = high;
      return this;
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalStateException if both a model and a connection were given, or no key is
     *     configured for OpenAI's own API
     */
    public OpenAiModerationFilter build() {
      return open(
          true, (connection, transport) -> new OpenAiModerationFilter(this, connection, transport));
    }
  }
}
