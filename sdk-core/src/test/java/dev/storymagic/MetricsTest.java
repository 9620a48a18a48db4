package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.Meters;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsTest {
  /** StoryMagic on {@code model} with no safety checks, metering into {@code registry}. */
  private static StoryMagic measured(ScriptedStoryModel model, SimpleMeterRegistry registry) {
    return StoryMagic.builder()
        .model(model)
        .safety(SafetyFilter.passThrough())
        .meterRegistry(registry)
        .build();
  }

  @Test
  void generationCacheAndGenAiMetricsAreRecordedWithTheirTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    try (StoryMagic magic = measured(model, registry)) {
      magic.generate(SampleStories.request());
      magic.generate(SampleStories.request());
    }
    assertThat(
            registry
                .get("story_generation_time")
                .tags("theme", "space", "age_group", "6-8", "outcome", "success", "cache", "none")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("story_generation_time")
                .tags("theme", "space", "age_group", "6-8", "outcome", "success", "cache", "l1")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(Meters.cacheRequests(registry, "l1", "miss")).isEqualTo(1);
    assertThat(Meters.cacheRequests(registry, "l1", "hit")).isEqualTo(1);
    assertThat(
            registry
                .get("gen_ai.client.token.usage")
                .tags(
                    "gen_ai.token.type",
                    "input",
                    "gen_ai.request.model",
                    "scripted-1",
                    "gen_ai.operation.name",
                    "chat")
                .summary()
                .totalAmount())
        .isEqualTo(100);
    assertThat(
            registry
                .get("gen_ai.client.token.usage")
                .tags("gen_ai.token.type", "output")
                .summary()
                .totalAmount())
        .isEqualTo(200);
    assertThat(
            registry
                .get("gen_ai.client.operation.duration")
                .tag("gen_ai.request.model", "scripted-1")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void failuresAreTaggedWithTheErrorCode() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(
                new StoryMagicException.ModelFailure(
                    StoryMagicException.ModelFailure.Reason.BAD_REQUEST, "400"));
    try (StoryMagic magic = measured(model, registry)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> magic.generate(SampleStories.request()));
    }
    assertThat(
            registry.get("story_generation_time").tag("outcome", "model_failure").timer().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("gen_ai.client.operation.duration")
                .tag("error.type", "model_failure")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aThemeOutsideTheCatalogIsTaggedAsUnknownSoCallersCannotMintSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StoryMagic magic = measured(ScriptedStoryModel.safe(), registry)) {
      for (int i = 0; i < 50; i++) {
        StoryRequest madeUp = SampleStories.request().toBuilder().theme("made-up-" + i).build();
        assertThatThrownBy(() -> magic.generate(madeUp))
            .isInstanceOf(StoryMagicException.InvalidRequest.class);
      }
    }
    assertThat(registry.get("story_generation_time").timers()).hasSize(1);
    assertThat(
            registry
                .get("story_generation_time")
                .tags("theme", "unknown", "outcome", "invalid_request")
                .timer()
                .count())
        .isEqualTo(50);
  }

  @Test
  void eachGenerationIsCountedOnceInItsOwnSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StoryMagic magic = measured(ScriptedStoryModel.safe(), registry)) {
      for (int i = 0; i < 5; i++) {
        magic.generate(SampleStories.request());
        magic.generate(SampleStories.request().toBuilder().ageGroup(AgeGroup.AGES_3_5).build());
      }
    }
    assertThat(registry.get("story_generation_time").tag("age_group", "6-8").timers())
        .extracting(t -> t.getId().getTag("cache") + "=" + t.count())
        .containsExactlyInAnyOrder("none=1", "l1=4");
    assertThat(registry.get("story_generation_time").tag("age_group", "3-5").timers())
        .extracting(t -> t.getId().getTag("cache") + "=" + t.count())
        .containsExactlyInAnyOrder("none=1", "l1=4");
  }

  @Test
  void eachModelCallIsRecordedOnceInTheSeriesOfItsOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StoryMagicException.ModelFailure refused =
        new StoryMagicException.ModelFailure(
            StoryMagicException.ModelFailure.Reason.BAD_REQUEST, "400");
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenThrow(refused).thenThrow(refused);
    try (StoryMagic magic = measured(model, registry)) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> magic.generate(SampleStories.request()))
            .isInstanceOf(StoryMagicException.ModelFailure.class);
      }
      for (int i = 0; i < 3; i++) {
        magic.generate(SampleStories.request().toBuilder().fresh(true).build());
      }
    }
    assertThat(registry.get("gen_ai.client.operation.duration").timers())
        .extracting(t -> String.valueOf(t.getId().getTag("error.type")) + "=" + t.count())
        .containsExactlyInAnyOrder("null=3", "model_failure=2");
    assertThat(registry.get("gen_ai.client.token.usage").summaries())
        .extracting(s -> s.getId().getTag("gen_ai.token.type") + "=" + s.totalAmount())
        .containsExactlyInAnyOrder("input=300.0", "output=600.0");
  }
}
