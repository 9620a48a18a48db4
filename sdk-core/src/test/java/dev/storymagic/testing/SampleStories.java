package dev.storymagic.testing;

import dev.storymagic.AgeGroup;
import dev.storymagic.CacheTier;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Ready-made requests and stories for tests in every module. */
public final class SampleStories {
  private SampleStories() {}

  public static StoryRequest request() {
    return StoryRequest.builder()
        .theme("space")
        .ageGroup(AgeGroup.AGES_6_8)
        .character("Mia", "a curious girl who loves stars")
        .character("Bolt", "a small friendly robot")
        .moral("sharing")
        .length(StoryLength.SHORT)
        .build();
  }

  /**
   * Eight random digits: a tag that keeps a test's story request (its idea, its cache key) apart
   * from other runs'. Digits, not a piece of a UUID: random hex spells words in leetspeak that the
   * safety lexicon reads (one tag in about 900 is flagged, "1ed" among them), and a request with
   * such a tag is refused as unsafe.
   */
  public static String uniqueTag() {
    return Long.toString(ThreadLocalRandom.current().nextLong(10_000_000L, 100_000_000L));
  }

  /** A complete, safe story owned by {@code owner}, created at {@code createdAt}. */
  public static Story story(String owner, Instant createdAt) {
    StoryRequest request = request().withOwner(owner);
    List<String> paragraphs =
        List.of(
            "Mia looked up at the night sky. A tiny light blinked at her.",
            "Bolt the robot beeped. \"That star is lost,\" he said.",
            "Together they built a ladder of moonbeams and carried the star home. They shared their cocoa with it.");
    String text = String.join("\n\n", paragraphs);
    return new Story(
        UUID.randomUUID().toString(),
        Optional.of(owner),
        "Mia and the Lost Star",
        paragraphs,
        request,
        "offline-1",
        "story-v1",
        new TokenUsage(120, 340),
        new BigDecimal("0.000222"),
        new QualityReport(
            text.split("\\s+").length,
            request.length().band(request.ageGroup()),
            2.1,
            request.ageGroup(),
            true),
        SafetyVerdict.clean("default-1"),
        new Timings(Duration.ofMillis(12), Duration.ofMillis(10)),
        CacheTier.NONE,
        1,
        createdAt);
  }

  public static Story story(String owner) {
    return story(owner, Instant.now());
  }

  /** A {@link #story(String) sample story} whose request carries {@code idempotencyKey}. */
  public static Story withIdempotencyKey(String owner, String idempotencyKey) {
    Story s = story(owner);
    StoryRequest r = s.request().toBuilder().idempotencyKey(idempotencyKey).build();
    return copy(s, s.owner(), s.title(), r);
  }

  /** {@code s} with another title, everything else kept. */
  public static Story retitled(Story s, String title) {
    return copy(s, s.owner(), title, s.request());
  }

  /** {@code s} without an owner. */
  public static Story unowned(Story s) {
    return copy(s, Optional.empty(), s.title(), s.request());
  }

  /** {@code s} with the given owner, title and request, everything else kept. */
  private static Story copy(Story s, Optional<String> owner, String title, StoryRequest request) {
    return new Story(
        s.id(),
        owner,
        title,
        s.paragraphs(),
        request,
        s.model(),
        s.templateVersion(),
        s.usage(),
        s.estimatedCostUsd(),
        s.quality(),
        s.safety(),
        s.timings(),
        s.cacheTier(),
        s.attempts(),
        s.createdAt());
  }
}
