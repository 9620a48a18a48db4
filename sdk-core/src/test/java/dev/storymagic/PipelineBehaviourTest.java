package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineBehaviourTest {
  /** 116 words: short of the 150-word band but over half of it, a soft miss. */
  private static final String SHORT_WALK =
      "Mia and Bolt went for a walk in the park. ".repeat(8)
          + "They sat by the pond and shared an apple. ".repeat(4);

  @Test
  void storyCarriesQualityUsageCostTimingsAndVersions() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      Story story = magic.generate(SampleStories.request());
      assertThat(story.templateVersion()).isEqualTo("story-v1");
      assertThat(story.model()).isEqualTo("scripted-1");
      assertThat(story.usage()).isEqualTo(new TokenUsage(100, 200));
      assertThat(story.estimatedCostUsd()).isEqualByComparingTo("0.0002");
      assertThat(story.quality().hasTitle()).isTrue();
      assertThat(story.quality().lengthWithinBand()).isTrue();
      assertThat(story.quality().passed()).as(story.quality().problems().toString()).isTrue();
      assertThat(story.safety().policyVersion())
          .isEqualTo(dev.storymagic.SafetyPolicy.DEFAULT_VERSION);
      assertThat(story.attempts()).isEqualTo(1);
      assertThat(story.timings().total()).isPositive();
    }
  }

  @Test
  void acceptWithFlagReturnsAStoryThatMissesSoftQualityChecksWithItsProblems() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenText("A Short Walk", SHORT_WALK);
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      Story story = magic.generate(SampleStories.request());
      assertThat(story.quality().passed()).isFalse();
      assertThat(story.quality().problems())
          .anyMatch(p -> p.startsWith("word count 116 is outside 150-300 words"));
      assertThat(model.calls()).isEqualTo(1);
    }
  }

  @Test
  void regeneratePolicyAsksAgainWhenQualityMisses() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenText("A Short Walk", SHORT_WALK);
    try (StoryMagic magic =
        StoryMagic.builder()
            .model(model)
            .safety(SafetyFilter.passThrough())
            .qualityPolicy(QualityPolicy.REGENERATE)
            .build()) {
      Story story = magic.generate(SampleStories.request());
      assertThat(story.quality().passed()).isTrue();
      assertThat(story.attempts()).isEqualTo(2);
      assertThat(model.calls()).isEqualTo(2);
      assertThat(model.requests().get(1).attempt()).isEqualTo(2);
    }
  }

  @Test
  void idempotencyKeyReplaysTheStoredStoryWithoutGenerating() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    InMemoryStoryStore store = InMemoryStoryStore.create();
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).store(store).build()) {
      StoryRequest request =
          SampleStories.request().toBuilder().owner("u1").idempotencyKey("k-1").fresh(true).build();
      Story first = magic.generate(request);
      Story retry = magic.generate(request);
      assertThat(retry.id()).isEqualTo(first.id());
      assertThat(model.calls()).isEqualTo(1);
      assertThat(store.list("u1", java.util.Optional.empty(), 10).stories()).hasSize(1);
    }
  }

  @Test
  void streamingDeliversSentencesThenTheStory() throws Exception {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    List<String> chunks = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Story> completed =
        new java.util.concurrent.CompletableFuture<>();
    try (StoryMagic magic =
        StoryMagic.builder()
            .model(OfflineStoryModel.create())
            .safety(SafetyFilter.passThrough())
            .build()) {
      Story story =
          magic.stream(
                  SampleStories.request(),
                  new StoryListener() {
                    @Override
                    public void onText(String text) {
                      chunks.add(text);
                    }

                    @Override
                    public void onComplete(Story s) {
                      completed.complete(s);
                    }

                    @Override
                    public void onError(StoryMagicException error) {
                      completed.completeExceptionally(error);
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      assertThat(completed.get(1, TimeUnit.SECONDS)).isSameAs(story);
      assertThat(chunks.size()).isGreaterThan(3);
      assertThat(String.join("", chunks).replaceAll("\\s+", " ").strip())
          .isEqualTo(story.text().replaceAll("\\s+", " ").strip());
    }
    assertThat(model.calls()).isZero();
  }

  @Test
  void streamingACachedStoryReplaysItAndReportsTheTier() throws Exception {
    try (StoryMagic magic =
        StoryMagic.builder()
            .model(ScriptedStoryModel.safe())
            .safety(SafetyFilter.passThrough())
            .build()) {
      Story generated = magic.generate(SampleStories.request());
      List<String> chunks = new CopyOnWriteArrayList<>();
      Story streamed =
          magic.stream(
                  SampleStories.request(),
                  new StoryListener() {
                    @Override
                    public void onText(String text) {
                      chunks.add(text);
                    }

                    @Override
                    public void onComplete(Story story) {}

                    @Override
                    public void onError(StoryMagicException error) {}
                  })
              .get(5, TimeUnit.SECONDS);
      assertThat(streamed.cacheTier()).isEqualTo(CacheTier.L1);
      assertThat(String.join("", chunks).strip()).isEqualTo(generated.text());
    }
  }

  @Test
  void streamingErrorsReachTheListenerAndTheFuture() throws Exception {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(
                new StoryMagicException.ModelFailure(
                    StoryMagicException.ModelFailure.Reason.AUTHENTICATION, "401"));
    java.util.concurrent.CompletableFuture<StoryMagicException> seen =
        new java.util.concurrent.CompletableFuture<>();
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      var future =
          magic.stream(
              SampleStories.request(),
              new StoryListener() {
                @Override
                public void onText(String text) {}

                @Override
                public void onComplete(Story story) {
                  seen.completeExceptionally(new AssertionError("completed"));
                }

                @Override
                public void onError(StoryMagicException error) {
                  seen.complete(error);
                }
              });
      assertThat(seen.get(5, TimeUnit.SECONDS))
          .isInstanceOf(StoryMagicException.ModelFailure.class);
      assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoryMagicException.ModelFailure.class);
    }
  }

  @Test
  void closedInstanceRefusesNewWork() {
    StoryMagic magic = StoryMagic.builder().model(ScriptedStoryModel.safe()).build();
    magic.close();
    magic.close();
    assertThatThrownBy(() -> magic.generate(SampleStories.request()))
        .isInstanceOf(StoryMagicException.ModelUnavailable.class)
        .hasMessage("StoryMagic is shut down");
  }

  @Test
  void rateLimitedOwnersAreRefusedWithRetryAfter() {
    StoryRateLimiter limiter = owner -> RateLimitDecision.deny(Duration.ofSeconds(7));
    try (StoryMagic magic =
        StoryMagic.builder().model(ScriptedStoryModel.safe()).rateLimiter(limiter).build()) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request().withOwner("u1")))
          .isInstanceOfSatisfying(
              StoryMagicException.RateLimited.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)))
          .hasMessageContaining("try again in 7 s");
    }
  }
}
