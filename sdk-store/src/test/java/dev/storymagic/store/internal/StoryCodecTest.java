package dev.storymagic.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.CacheTier;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.Story;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import dev.storymagic.WordBand;
import dev.storymagic.testing.SampleStories;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoryCodecTest {
  /**
   * A document exactly as the version 1 codec (a hand-written JsonGenerator walk, before the wire
   * model) wrote {@link #golden()}: stores and caches hold such bytes.
   */
  static final String WRITTEN_BY_THE_FIRST_CODEC =
      "{\"v\":1,\"id\":\"s-1\",\"owner\":\"owner-1\","
          + "\"title\":\"The \\\"Brave\\\" Fox\",\"paragraphs\":[\"One \u00e9 line.\",\"Two.\"],"
          + "\"request\":{\"theme\":\"space\",\"ageGroup\":\"AGES_6_8\",\"characters\":[{\"name\":\"Milo\","
          + "\"description\":\"a fox\"}],\"setting\":\"the moon\",\"length\":\"SHORT\",\"language\":\"en\","
          + "\"fresh\":true,\"owner\":\"owner-1\",\"idempotencyKey\":\"k-1\"},\"model\":\"gpt-x\","
          + "\"templateVersion\":\"v3\",\"usage\":{\"input\":120,\"output\":340},\"costUsd\":\"0.000220\","
          + "\"quality\":{\"wordCount\":2,\"bandMin\":150,\"bandMax\":300,\"readingGrade\":4.649999999999999,"
          + "\"ageGroup\":\"AGES_6_8\",\"hasTitle\":true},\"safety\":{\"policyVersion\":\"policy-2\","
          + "\"findings\":[{\"category\":\"VIOLENCE\",\"severity\":\"LOW\",\"score\":0.25,\"start\":3,"
          + "\"end\":7,\"source\":\"local\",\"blocking\":false}]},\"timings\":{\"totalNanos\":1500000123,"
          + "\"modelNanos\":900000000},\"cacheTier\":\"L2\",\"attempts\":2,"
          + "\"createdAt\":\"2025-01-02T03:04:05.123456789Z\"}";

  static Story golden() {
    StoryRequest request =
        new StoryRequest(
            "space",
            AgeGroup.AGES_6_8,
            List.of(new StoryCharacter("Milo", "a fox")),
            Optional.of("the moon"),
            Optional.empty(),
            Optional.empty(),
            StoryLength.SHORT,
            "en",
            true,
            Optional.of("owner-1"),
            Optional.of("k-1"));
    return new Story(
        "s-1",
        Optional.of("owner-1"),
        "The \"Brave\" Fox",
        List.of("One \u00e9 line.", "Two."),
        request,
        "gpt-x",
        "v3",
        new TokenUsage(120, 340),
        new BigDecimal("0.000220"),
        new QualityReport(2, new WordBand(150, 300), 4.649999999999999, AgeGroup.AGES_6_8, true),
        new SafetyVerdict(
            List.of(
                new SafetyFinding(
                    SafetyCategory.VIOLENCE, Severity.LOW, 0.25, 3, 7, "local", false)),
            "policy-2"),
        new Timings(Duration.ofNanos(1_500_000_123L), Duration.ofNanos(900_000_000L)),
        CacheTier.L2,
        2,
        Instant.parse("2025-01-02T03:04:05.123456789Z"));
  }

  @Test
  void aDocumentWrittenByTheFirstCodecReadsBackAndIsWrittenByteForByte() {
    assertThat(StoryCodec.fromJson(WRITTEN_BY_THE_FIRST_CODEC)).isEqualTo(golden());
    assertThat(StoryCodec.toJson(golden())).isEqualTo(WRITTEN_BY_THE_FIRST_CODEC);
  }

  @Test
  void aNullRequiredFieldOrListElementIsMissingWhileANullOptionalFieldIsAbsent() {
    assertThatThrownBy(
            () ->
                StoryCodec.fromJson(
                    WRITTEN_BY_THE_FIRST_CODEC.replace("\"model\":\"gpt-x\"", "\"model\":null")))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("missing field 'model'");
    assertThatThrownBy(
            () -> StoryCodec.fromJson(WRITTEN_BY_THE_FIRST_CODEC.replace("\"Two.\"]", "null]")))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("'paragraphs[1]'");
    String nullSetting =
        WRITTEN_BY_THE_FIRST_CODEC.replace("\"setting\":\"the moon\"", "\"setting\":null");
    assertThat(StoryCodec.fromJson(nullSetting).request().setting()).isEmpty();
    String noOwner =
        WRITTEN_BY_THE_FIRST_CODEC.replace("\"owner\":\"owner-1\",\"title\"", "\"title\"");
    assertThat(StoryCodec.fromJson(noOwner).owner()).isEmpty();
  }

  @Test
  void aMistypedNestedFieldIsNamedByItsPath() {
    String wrong = WRITTEN_BY_THE_FIRST_CODEC.replace("\"name\":\"Milo\"", "\"name\":7");
    assertThatThrownBy(() -> StoryCodec.fromJson(wrong))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("'request.characters[0].name'");
    String missing = WRITTEN_BY_THE_FIRST_CODEC.replace("\"source\":\"local\",", "");
    assertThatThrownBy(() -> StoryCodec.fromJson(missing))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("missing field 'safety.findings[0].source'");
  }

  @Test
  void sampleStoryRoundTripsToAnEqualStory() {
    Story story = SampleStories.story("alice", Instant.parse("2025-01-02T03:04:05.000000001Z"));
    assertThat(StoryCodec.fromJson(StoryCodec.toJson(story))).isEqualTo(story);
  }

  @Test
  @SuppressWarnings("JavaInstantGetSecondsGetNano") // the whole instant is compared above
  void everyFieldRoundTripsExactlyIncludingOptionalsFindingsAndScales() {
    Story story = dev.storymagic.store.TestStoriesAccess.rich();
    Story back = StoryCodec.fromBytes(StoryCodec.toBytes(story));
    assertThat(back).isEqualTo(story);
    assertThat(back.estimatedCostUsd().scale()).isEqualTo(6);
    assertThat(back.createdAt().getNano()).isEqualTo(123_456_789);
    assertThat(back.safety().findings()).hasSize(2);
    assertThat(back.quality().readingGrade()).isEqualTo(4.649999999999999);
  }

  @Test
  void absentOptionalsStayAbsentAndBlankOnesAreKept() {
    StoryRequest blank =
        new StoryRequest(
            "space",
            AgeGroup.AGES_3_5,
            List.of(),
            Optional.of(" "),
            Optional.empty(),
            Optional.empty(),
            dev.storymagic.StoryLength.SHORT,
            "en",
            false,
            Optional.empty(),
            Optional.empty());
    Story s =
        new Story(
            "id-1",
            Optional.empty(),
            "",
            List.of(),
            blank,
            "m",
            "t",
            TokenUsage.NONE,
            BigDecimal.ZERO,
            new QualityReport(
                0, blank.length().band(blank.ageGroup()), Double.NaN, AgeGroup.AGES_3_5, false),
            SafetyVerdict.clean("p"),
            Timings.ZERO,
            CacheTier.NONE,
            1,
            Instant.EPOCH);
    String json = StoryCodec.toJson(s);
    assertThat(json).doesNotContain("\"owner\"").doesNotContain("idempotencyKey");
    Story back = StoryCodec.fromJson(json);
    assertThat(back).isEqualTo(s);
    assertThat(back.request().setting()).contains(" ");
  }

  @Test
  void documentCarriesTheFormatVersion() {
    assertThat(StoryCodec.toJson(SampleStories.story("a"))).startsWith("{\"v\":1,");
  }

  @Test
  void unknownFormatVersionIsReportedWithTheVersion() {
    String json = StoryCodec.toJson(SampleStories.story("a")).replace("{\"v\":1,", "{\"v\":7,");
    assertThatThrownBy(() -> StoryCodec.fromJson(json))
        .isInstanceOf(StoryCodec.UnsupportedFormatException.class)
        .hasMessageContaining("version 7");
  }

  @Test
  void malformedDocumentsNameTheProblem() {
    assertThatThrownBy(() -> StoryCodec.fromJson("not json"))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> StoryCodec.fromJson("{\"title\":\"x\"}"))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("no format version");
    assertThatThrownBy(() -> StoryCodec.fromJson("{\"v\":1,\"id\":\"x\"}"))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("missing field '");
    String wrongType =
        StoryCodec.toJson(SampleStories.story("a")).replace("\"attempts\":1", "\"attempts\":\"1\"");
    assertThatThrownBy(() -> StoryCodec.fromJson(wrongType))
        .isInstanceOf(StoryCodec.MalformedStoryException.class)
        .hasMessageContaining("'attempts'");
  }
}
