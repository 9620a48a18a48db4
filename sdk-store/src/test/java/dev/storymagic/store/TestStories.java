package dev.storymagic.store;

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
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Stories that use every field, for round-trip tests; plain ones come from {@link
 * dev.storymagic.testing.SampleStories}.
 */
final class TestStories {
  private TestStories() {}

  /** A story with every optional present, findings, odd numbers and a nanosecond timestamp. */
  static Story rich(String owner, String idempotencyKey) {
    StoryRequest request =
        StoryRequest.builder()
            .theme("ocean")
            .ageGroup(AgeGroup.AGES_9_12)
            .character("Zoë", "a diver with a \"brave\" heart — and a torch")
            .character("Ned", "")
            .setting("a reef at dusk")
            .moral("patience")
            .idea("a whale who sings in émojis 🐋\tand tabs")
            .length(StoryLength.MEDIUM)
            .language("pt-BR")
            .fresh(true)
            .owner(owner)
            .idempotencyKey(idempotencyKey)
            .build();
    return rich(
        request,
        "Zoë and the Singing Whale",
        List.of("First paragraph.", "Second \"quoted\" paragraph\nwith a newline.", ""));
  }

  /**
   * A story of {@code request} (and its owner) with this title and text, every other field as in
   * {@link #rich(String, String)}.
   */
  static Story rich(StoryRequest request, String title, List<String> paragraphs) {
    SafetyVerdict verdict =
        new SafetyVerdict(
            List.of(
                new SafetyFinding(
                    SafetyCategory.VIOLENCE, Severity.LOW, 0.1 + 0.2, 10, 17, "local", false),
                new SafetyFinding(
                    SafetyCategory.FRIGHTENING,
                    Severity.MEDIUM,
                    1.0E-7,
                    -1,
                    -1,
                    "openai-moderation",
                    false)),
            "default-1");
    return new Story(
        UUID.randomUUID().toString(),
        request.owner(),
        title,
        paragraphs,
        request,
        "gpt-4o-mini",
        "story-v1",
        new TokenUsage(1234, 5678),
        new BigDecimal("0.002100"),
        new QualityReport(
            321,
            request.length().band(request.ageGroup()),
            4.649999999999999,
            request.ageGroup(),
            true),
        verdict,
        new Timings(Duration.ofNanos(1_234_567_891L), Duration.ofMillis(987)),
        CacheTier.L2,
        2,
        Instant.parse("2024-05-06T07:08:09.123456789Z"));
  }
}
