package dev.storymagic.internal.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A story as the HTTP API shows it: the request's public fields beside the story, labels instead of
 * enum names, token and duration figures rounded for people, and none of the internal fields
 * (owner, idempotency key, cache tier, findings). Derived from the same {@link Story} as the stored
 * {@link StoryDocument}, and sharing its {@link CharacterDocument}; written by the one {@link Wire}
 * mapper. Absent optionals are left out.
 */
@JsonPropertyOrder({
  "id",
  "title",
  "paragraphs",
  "text",
  "theme",
  "ageGroup",
  "length",
  "language",
  "characters",
  "setting",
  "moral",
  "idea",
  "model",
  "templateVersion",
  "usage",
  "estimatedCostUsd",
  "quality",
  "safety",
  "attempts",
  "createdAt",
  "timings"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoryView(
    String id,
    Fragment title,
    Fragment paragraphs,
    Fragment text,
    String theme,
    String ageGroup,
    String length,
    String language,
    List<CharacterDocument> characters,
    String setting,
    String moral,
    String idea,
    String model,
    String templateVersion,
    Usage usage,
    BigDecimal estimatedCostUsd,
    Quality quality,
    Safety safety,
    int attempts,
    String createdAt,
    Timings timings) {

  /** The view of a story, every value written as usual. */
  public static StoryView of(Story s) {
    return of(s, Fragment.of(s.title()), Fragment.of(s.paragraphs()), Fragment.of(s.text()));
  }

  /** The view of a story whose title, paragraphs and text may already be written. */
  public static StoryView of(Story s, Fragment title, Fragment paragraphs, Fragment text) {
    StoryView shared = sharedPartOf(s);
    return new StoryView(
        s.id(),
        title,
        paragraphs,
        text,
        shared.theme,
        shared.ageGroup,
        shared.length,
        shared.language,
        shared.characters,
        shared.setting,
        shared.moral,
        shared.idea,
        shared.model,
        shared.templateVersion,
        shared.usage,
        shared.estimatedCostUsd,
        shared.quality,
        shared.safety,
        shared.attempts,
        s.createdAt().toString(),
        new Timings(s.timings().total().toMillis(), s.timings().model().toMillis()));
  }

  /**
   * The view of a story without what each delivery of it has of its own (id, time, timings) and
   * without its body (title, paragraphs, text): the fields every delivery of one generation shares,
   * from the request's public fields to the attempts.
   */
  public static StoryView sharedPartOf(Story s) {
    StoryRequest r = s.request();
    return new StoryView(
        null,
        null,
        null,
        null,
        r.theme(),
        r.ageGroup().label(),
        label(r.length()),
        r.language(),
        CharacterDocument.all(r.characters()),
        r.setting().orElse(null),
        r.moral().orElse(null),
        r.idea().orElse(null),
        s.model(),
        s.templateVersion(),
        new Usage(s.usage().inputTokens(), s.usage().outputTokens(), s.usage().totalTokens()),
        s.estimatedCostUsd(),
        new Quality(
            s.quality().wordCount(),
            Math.round(s.quality().readingGrade() * 10) / 10.0,
            s.quality().passed(),
            s.quality().problems()),
        new Safety(s.safety().allowed(), s.safety().policyVersion()),
        s.attempts(),
        null,
        null);
  }

  /** An enum constant as the API writes it: its name in lower case. */
  public static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Token counts. */
  @JsonPropertyOrder({"inputTokens", "outputTokens", "totalTokens"})
  public record Usage(long inputTokens, long outputTokens, long totalTokens) {}

  /** The quality figures a reader cares about; the reading grade to one decimal. */
  @JsonPropertyOrder({"wordCount", "readingGrade", "passed", "problems"})
  public record Quality(
      int wordCount, double readingGrade, boolean passed, List<String> problems) {}

  /** Whether the story was allowed, under which policy. */
  @JsonPropertyOrder({"allowed", "policyVersion"})
  public record Safety(boolean allowed, String policyVersion) {}

  /** Durations in milliseconds. */
  @JsonPropertyOrder({"totalMs", "modelMs"})
  public record Timings(long totalMs, long modelMs) {}
}
