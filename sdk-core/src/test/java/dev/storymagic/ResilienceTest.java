package dev.storymagic;

import static dev.storymagic.testing.ScriptedStoryModel.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResilienceTest {
  private static final ResilienceSettings FAST =
      ResilienceSettings.builder()
          .initialBackoff(Duration.ofMillis(10))
          .maxBackoff(Duration.ofMillis(100))
          .jitter(0)
          .build();

  private static StoryMagic magic(StoryModel model, ResilienceSettings settings) {
    return StoryMagic.builder()
        .model(model)
        .safety(SafetyFilter.passThrough())
        .resilience(settings)
        .build();
  }

  @Test
  void transientFailuresAreRetriedUntilSuccess() {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(transientFailure(null))
            .thenThrow(transientFailure(null));
    try (StoryMagic magic = magic(model, FAST)) {
      Story story = magic.generate(SampleStories.request());
      assertThat(story.title()).isNotBlank();
      assertThat(story.attempts()).as("retried calls count as attempts").isEqualTo(3);
    }
    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void retriesExhaustedSurfaceAsModelUnavailableWithTheLastHint() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    for (int i = 0; i < 3; i++) {
      model.thenThrow(transientFailure(Duration.ofMillis(20)));
    }
    try (StoryMagic magic = magic(model, FAST)) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelUnavailable.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED);
                assertThat(e.retryAfter()).hasValue(Duration.ofMillis(20));
                assertThat(e).hasMessageContaining("failed 3 attempts");
              });
    }
    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void permanentFailuresAreNotRetried() {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(
                new StoryMagicException.ModelFailure(
                    StoryMagicException.ModelFailure.Reason.AUTHENTICATION,
                    "401: invalid api key",
                    401,
                    null));
    try (StoryMagic magic = magic(model, FAST)) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelFailure.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(StoryMagicException.ModelFailure.Reason.AUTHENTICATION);
                assertThat(e.httpStatus()).hasValue(401);
              });
    }
    assertThat(model.calls()).isEqualTo(1);
  }

  @Test
  void aSlowModelTimesOutAndIsCounted() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenSlow(5_000);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ResilienceSettings settings = FAST.toBuilder().attemptTimeout(Duration.ofMillis(200)).build();
    try (StoryMagic magic =
        StoryMagic.builder()
            .model(model)
            .safety(SafetyFilter.passThrough())
            .resilience(settings)
            .meterRegistry(registry)
            .build()) {
      // The model would answer after 5 s; a timeout (not a story) proves the limit cut the attempt
      // short.
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOfSatisfying(
              StoryMagicException.TimedOut.class,
              e -> assertThat(e.limit()).isEqualTo(Duration.ofMillis(200)))
          .hasMessageContaining("did not answer within 200 ms");
    }
    assertThat(model.calls()).isEqualTo(1);
    assertThat(
            registry.get("story_generation_timeouts").tag("model", "scripted-1").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("story_generation_time")
                .tag("outcome", "generation_timeout")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anAttemptRunsOnTheCallingThread() {
    List<Thread> modelThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(
            r -> {
              modelThreads.add(Thread.currentThread());
              return ScriptedStoryModel.safeStory(r);
            });
    try (StoryMagic magic = magic(model, FAST)) {
      magic.generate(SampleStories.request());
    }
    assertThat(modelThreads).containsExactly(Thread.currentThread());
  }

  @Test
  void aTimedOutAttemptLeavesNoInterruptBehind() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenSlow(5_000);
    ResilienceSettings settings =
        FAST.toBuilder().maxAttempts(1).attemptTimeout(Duration.ofMillis(100)).build();
    try (StoryMagic magic = magic(model, settings)) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.TimedOut.class);
      assertThat(Thread.currentThread().isInterrupted())
          .as("the deadline's interrupt was cleared")
          .isFalse();
      // The same thread's next generation is not cut short by a stale interrupt.
      assertThat(magic.generate(SampleStories.request().toBuilder().moral("next").build()).title())
          .isNotBlank();
    }
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void aModelIgnoringTheInterruptIsWaitedForAndReportedAsATimeout() {
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(
            r -> {
              long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
              while (System.nanoTime() < end) {
                Thread.onSpinWait();
              }
              throw transientFailure(null);
            });
    ResilienceSettings settings =
        FAST.toBuilder().maxAttempts(1).attemptTimeout(Duration.ofMillis(100)).build();
    try (StoryMagic magic = magic(model, settings)) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.TimedOut.class)
          .hasMessageContaining("did not answer within 100 ms")
          .hasCauseInstanceOf(StoryMagicException.ModelUnavailable.class);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void circuitOpensAfterRepeatedFailuresAndStopsCallingTheModel() {
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(
            r -> {
              throw transientFailure(null);
            });
    ResilienceSettings settings =
        FAST.toBuilder()
            .maxAttempts(1)
            .slidingWindow(4, 4)
            .openStateWait(Duration.ofMinutes(1))
            .build();
    try (StoryMagic magic = magic(model, settings)) {
      for (int i = 0; i < 4; i++) {
        StoryRequest distinct = SampleStories.request().toBuilder().moral("lesson " + i).build();
        assertThatThrownBy(() -> magic.generate(distinct))
            .isInstanceOf(StoryMagicException.ModelUnavailable.class);
      }
      assertThat(model.calls()).isEqualTo(4);
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelUnavailable.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.CIRCUIT_OPEN);
                assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(1));
              })
          .hasMessageContaining("circuit breaker 'scripted-1' is open");
      assertThat(model.calls()).isEqualTo(4);
      assertThat(magic.health().get("model").status()).isEqualTo(ComponentHealth.Status.DOWN);
    }
  }

  @Test
  void bulkheadRejectsCallsBeyondItsLimit() throws Exception {
    ScriptedStoryModel model = ScriptedStoryModel.safe().holdUntilReleased();
    ResilienceSettings settings =
        FAST.toBuilder().maxConcurrentCalls(2).maxBulkheadWait(Duration.ZERO).build();
    try (StoryMagic magic = magic(model, settings)) {
      List<CompletableFuture<Story>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(magic.generateAsync(SampleStories.request().toBuilder().moral("m" + i).build()));
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> model.calls() == 2);
      assertThatThrownBy(
              () -> magic.generate(SampleStories.request().toBuilder().moral("third").build()))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelUnavailable.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL))
          .hasMessageContaining("bulkhead 'scripted-1' is full: 2 model calls in flight");
      model.release();
      for (CompletableFuture<Story> f : held) {
        assertThat(f.get(5, TimeUnit.SECONDS).title()).isNotBlank();
      }
    }
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void asyncGenerationsBeyondMaxInFlightFailFast() throws Exception {
    ScriptedStoryModel model = ScriptedStoryModel.safe().holdUntilReleased();
    try (StoryMagic magic =
        StoryMagic.builder()
            .model(model)
            .safety(SafetyFilter.passThrough())
            .maxInFlight(1)
            .build()) {
      CompletableFuture<Story> first = magic.generateAsync(SampleStories.request());
      CompletableFuture<Story> second =
          magic.generateAsync(SampleStories.request().toBuilder().moral("x").build());
      assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoryMagicException.ModelUnavailable.class)
          .hasMessageContaining("more than 1 generations in flight");
      model.release();
      assertThat(first.get(5, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void invalidSettingsAreRejectedWithTheirValue() {
    assertThatThrownBy(() -> ResilienceSettings.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be within 1..10: 0");
    assertThatThrownBy(() -> ResilienceSettings.builder().attemptTimeout(Duration.ZERO))
        .hasMessage("attemptTimeout must be positive: PT0S");
    assertThatThrownBy(
            () ->
                ResilienceSettings.builder()
                    .initialBackoff(Duration.ofSeconds(5))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shorter than initialBackoff");
  }
}
