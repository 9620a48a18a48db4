package dev.storymagic.internal.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.storymagic.AgeGroup;
import dev.storymagic.CacheTier;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import dev.storymagic.WordBand;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A story's stored form, exact: every field, every optional (absent is left out, blank is kept),
 * the cost's digits and scale (as a string), the instant's nanoseconds. Format version {@value
 * #VERSION}; the bytes are those the stores and caches have written since version 1, so entries
 * written before this model read back unchanged.
 *
 * <p>Optional fields are {@code null} here only, inside the wire model; {@link #toStory()} turns
 * them back into {@link Optional}s and mark them {@link OptionalField}; every other field, and
 * every element of a list, is required: the {@link Wire} mapper fails a document in which one is
 * missing or {@code null}, naming the field.
 */
@JsonPropertyOrder({
  "v",
  "id",
  "owner",
  "title",
  "paragraphs",
  "request",
  "model",
  "templateVersion",
  "usage",
  "costUsd",
  "quality",
  "safety",
  "timings",
  "cacheTier",
  "attempts",
  "createdAt"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoryDocument(
    int v,
    String id,
    @OptionalField String owner,
    String title,
    List<String> paragraphs,
    RequestDocument request,
    String model,
    String templateVersion,
    Usage usage,
    String costUsd,
    Quality quality,
    Safety safety,
    TimingsDocument timings,
    String cacheTier,
    int attempts,
    String createdAt) {

  /** The format version written into every document. */
  public static final int VERSION = 1;

  public static StoryDocument of(Story s) {
    return new StoryDocument(
        VERSION,
        s.id(),
        s.owner().orElse(null),
        s.title(),
        s.paragraphs(),
        RequestDocument.of(s.request()),
        s.model(),
        s.templateVersion(),
        new Usage(s.usage().inputTokens(), s.usage().outputTokens()),
        // A string keeps the decimal's exact digits and scale.
        s.estimatedCostUsd().toString(),
        Quality.of(s.quality()),
        Safety.of(s.safety()),
        new TimingsDocument(s.timings().total().toNanos(), s.timings().model().toNanos()),
        s.cacheTier().name(),
        s.attempts(),
        s.createdAt().toString());
  }

  public Story toStory() {
    return new Story(
        id,
        Optional.ofNullable(owner),
        title,
        paragraphs,
        request.toRequest(),
        model,
        templateVersion,
        new TokenUsage(usage.input(), usage.output()),
        new BigDecimal(costUsd),
        quality.toReport(),
        safety.toVerdict(),
        new Timings(Duration.ofNanos(timings.totalNanos()), Duration.ofNanos(timings.modelNanos())),
        CacheTier.valueOf(cacheTier),
        attempts,
        Instant.parse(createdAt));
  }

  /**
   * The request a story answered, with its owner and idempotency key (which the HTTP view omits).
   */
  @JsonPropertyOrder({
    "theme",
    "ageGroup",
    "characters",
    "setting",
    "moral",
    "idea",
    "length",
    "language",
    "fresh",
    "owner",
    "idempotencyKey"
  })
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestDocument(
      String theme,
      String ageGroup,
      List<CharacterDocument> characters,
      @OptionalField String setting,
      @OptionalField String moral,
      @OptionalField String idea,
      String length,
      String language,
      boolean fresh,
      @OptionalField String owner,
      @OptionalField String idempotencyKey) {
    static RequestDocument of(StoryRequest r) {
      return new RequestDocument(
          r.theme(),
          r.ageGroup().name(),
          CharacterDocument.all(r.characters()),
          r.setting().orElse(null),
          r.moral().orElse(null),
          r.idea().orElse(null),
          r.length().name(),
          r.language(),
          r.fresh(),
          r.owner().orElse(null),
          r.idempotencyKey().orElse(null));
    }

    StoryRequest toRequest() {
      // The canonical constructor, not the builder: the builder turns blank values into empty ones.
      return new StoryRequest(
          theme,
          AgeGroup.valueOf(ageGroup),
          characters.stream().map(CharacterDocument::toCharacter).toList(),
          Optional.ofNullable(setting),
          Optional.ofNullable(moral),
          Optional.ofNullable(idea),
          StoryLength.valueOf(length),
          language,
          fresh,
          Optional.ofNullable(owner),
          Optional.ofNullable(idempotencyKey));
    }
  }

  /** Token counts. */
  @JsonPropertyOrder({"input", "output"})
  public record Usage(long input, long output) {}

  /** The quality report's inputs; what it derives (passed, problems) is recomputed on reading. */
  @JsonPropertyOrder({"wordCount", "bandMin", "bandMax", "readingGrade", "ageGroup", "hasTitle"})
  public record Quality(
      int wordCount,
      int bandMin,
      int bandMax,
      double readingGrade,
      String ageGroup,
      boolean hasTitle) {
    static Quality of(QualityReport q) {
      return new Quality(
          q.wordCount(),
          q.wordBand().min(),
          q.wordBand().max(),
          q.readingGrade(),
          q.ageGroup().name(),
          q.hasTitle());
    }

    QualityReport toReport() {
      return new QualityReport(
          wordCount,
          new WordBand(bandMin, bandMax),
          readingGrade,
          AgeGroup.valueOf(ageGroup),
          hasTitle);
    }
  }

  /** The safety verdict with every finding. */
  @JsonPropertyOrder({"policyVersion", "findings"})
  public record Safety(String policyVersion, List<Finding> findings) {
    static Safety of(SafetyVerdict v) {
      return new Safety(v.policyVersion(), v.findings().stream().map(Safety::document).toList());
    }

    SafetyVerdict toVerdict() {
      return new SafetyVerdict(findings.stream().map(Safety::finding).toList(), policyVersion);
    }

    private static Finding document(SafetyFinding f) {
      return new Finding(
          f.category().name(),
          f.severity().name(),
          f.score(),
          f.start(),
          f.end(),
          f.source(),
          f.blocking());
    }

    private static SafetyFinding finding(Finding f) {
      return new SafetyFinding(
          SafetyCategory.valueOf(f.category()),
          Severity.valueOf(f.severity()),
          f.score(),
          f.start(),
          f.end(),
          f.source(),
          f.blocking());
    }
  }

  /** One safety finding; the category and severity by their constants' names. */
  @JsonPropertyOrder({"category", "severity", "score", "start", "end", "source", "blocking"})
  public record Finding(
      String category,
      String severity,
      double score,
      int start,
      int end,
      String source,
      boolean blocking) {}

  /** Durations in nanoseconds. */
  @JsonPropertyOrder({"totalNanos", "modelNanos"})
  public record TimingsDocument(long totalNanos, long modelNanos) {}
}
