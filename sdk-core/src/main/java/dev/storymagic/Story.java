package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A finished, safe story and everything known about how it was made. Immutable.
 *
 * @param id unique id of this delivered story
 * @param owner whose story it is, when the request named an owner
 * @param title the story's title
 * @param paragraphs the body, paragraph by paragraph
 * @param request the request it answers
 * @param model the model id that wrote it
 * @param templateVersion the prompt template version used
 * @param usage tokens consumed (summed over attempts)
 * @param estimatedCostUsd estimated provider cost in US dollars (zero for the offline engine)
 * @param quality the quality checks
 * @param safety the output verdict that let it through
 * @param timings how long it took
 * @param cacheTier where it was served from
 * @param attempts how many model calls it took to get this one: regenerations after a safety or
 *     quality miss and retries after a transient failure included
 * @param createdAt when this story was made: generated, or delivered from the cache to its owner. A
 *     story served from the cache is a new story with a time of its own, not the time someone first
 *     asked for the same story
 */
public record Story(
    String id,
    Optional<String> owner,
    String title,
    List<String> paragraphs,
    StoryRequest request,
    String model,
    String templateVersion,
    TokenUsage usage,
    BigDecimal estimatedCostUsd,
    QualityReport quality,
    SafetyVerdict safety,
    Timings timings,
    CacheTier cacheTier,
    int attempts,
    Instant createdAt) {

  public Story {
    requireNonNull(id, "id");
    requireNonNull(owner, "owner");
    requireNonNull(title, "title");
    paragraphs = List.copyOf(requireNonNull(paragraphs, "paragraphs"));
    requireNonNull(request, "request");
    requireNonNull(model, "model");
    requireNonNull(templateVersion, "templateVersion");
    requireNonNull(usage, "usage");
    requireNonNull(estimatedCostUsd, "estimatedCostUsd");
    requireNonNull(quality, "quality");
    requireNonNull(safety, "safety");
    requireNonNull(timings, "timings");
    requireNonNull(cacheTier, "cacheTier");
    requireNonNull(createdAt, "createdAt");
  }

  /** The body as one string, paragraphs separated by a blank line. */
  public String text() {
    return String.join("\n\n", paragraphs);
  }

  /** The number of words in the body. */
  public int wordCount() {
    return quality.wordCount();
  }

  /**
   * A copy delivered to someone: a new id, the given request and owner, tier and timings, made at
   * {@code deliveredAt}. The copy keeps the text and how it was made, not when: the first
   * generation's time would tell its new owner that someone else asked for the same story first,
   * and when.
   */
  public Story deliveredAs(
      String newId,
      StoryRequest newRequest,
      CacheTier tier,
      Timings newTimings,
      Instant deliveredAt) {
    return new Story(
        newId,
        newRequest.owner(),
        title,
        paragraphs,
        newRequest,
        model,
        templateVersion,
        usage,
        estimatedCostUsd,
        quality,
        safety,
        newTimings,
        tier,
        attempts,
        deliveredAt);
  }
}
