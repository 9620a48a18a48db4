package dev.storymagic.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.CacheTier;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import dev.storymagic.testing.SampleStories;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoryCodecTest {

  @Test
  void sampleStoryRoundTripsToAnEqualStory() {
    Story story = SampleStories.story("alice", Instant.parse("2025-01-02T03:04:05.000000001Z"));
    assertThat(StoryCodec.fromJson(StoryCodec.toJson(story))).isEqualTo(story);
  }

  @Test
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
    StoryRequest blank = new StoryRequest("space", AgeGroup.AGES_3_5, List.of(), Optional.of(" "), Optional.empty(),
        Optional.empty(), dev.storymagic.StoryLength.SHORT, "en", false, Optional.empty(), Optional.empty());
    Story s = new Story("id-1", Optional.empty(), "", List.of(), blank, "m", "t", TokenUsage.NONE, BigDecimal.ZERO,
        new QualityReport(0, blank.length().band(blank.ageGroup()), Double.NaN, AgeGroup.AGES_3_5, false),
        SafetyVerdict.clean("p"), Timings.ZERO, CacheTier.NONE, 1, Instant.EPOCH);
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
        .isInstanceOf(StoryCodec.MalformedStoryException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> StoryCodec.fromJson("{\"title\":\"x\"}"))
        .isInstanceOf(StoryCodec.MalformedStoryException.class).hasMessageContaining("no format version");
    assertThatThrownBy(() -> StoryCodec.fromJson("{\"v\":1,\"id\":\"x\"}"))
        .isInstanceOf(StoryCodec.MalformedStoryException.class).hasMessageContaining("missing field '");
    String wrongType = StoryCodec.toJson(SampleStories.story("a")).replace("\"attempts\":1", "\"attempts\":\"1\"");
    assertThatThrownBy(() -> StoryCodec.fromJson(wrongType))
        .isInstanceOf(StoryCodec.MalformedStoryException.class).hasMessageContaining("'attempts'");
  }
}
