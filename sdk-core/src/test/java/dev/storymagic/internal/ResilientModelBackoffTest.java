package dev.storymagic.internal;

import static dev.storymagic.testing.ScriptedStoryModel.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.ResilienceSettings;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The waits between retries, recorded by a sleeper instead of measured on the wall clock. */
class ResilientModelBackoffTest {
  private static final ResilienceSettings FAST =
      ResilienceSettings.builder()
          .initialBackoff(Duration.ofMillis(10))
          .maxBackoff(Duration.ofMillis(100))
          .jitter(0)
          .build();
  private static ModelRequest request;

  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void captureARequest() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      magic.generate(SampleStories.request());
    }
    request = model.requests().get(0);
  }

  private ResilientModel resilient(
      ScriptedStoryModel model, ResilienceSettings settings, Sleeper sleeper) {
    return new ResilientModel(
        model,
        settings,
        new PipelineMetrics(new SimpleMeterRegistry()),
        new PipelineSpans(Tracing.of(Optional.empty(), "test")),
        sleeper);
  }

  @Test
  void backoffDoublesFromTheInitialWait() {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(transientFailure(null))
            .thenThrow(transientFailure(null));
    try (ResilientModel resilient = resilient(model, FAST, waits::add)) {
      assertThat(resilient.generate(request, new AtomicInteger()).text()).isNotBlank();
    }
    assertThat(waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void retryAfterHintIsHonouredInsteadOfTheBackoff() {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe().thenThrow(transientFailure(Duration.ofMillis(400)));
    ResilienceSettings settings = FAST.toBuilder().maxBackoff(Duration.ofSeconds(2)).build();
    try (ResilientModel resilient = resilient(model, settings, waits::add)) {
      resilient.generate(request, new AtomicInteger());
    }
    assertThat(waits).containsExactly(Duration.ofMillis(400));
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void retryAfterHintIsCappedByMaxBackoff() {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe().thenThrow(transientFailure(Duration.ofMinutes(5)));
    try (ResilientModel resilient = resilient(model, FAST, waits::add)) {
      resilient.generate(request, new AtomicInteger());
    }
    assertThat(waits).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void anInterruptedWaitEndsTheRetriesAndKeepsTheInterrupt() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenThrow(transientFailure(null));
    Sleeper interrupted =
        d -> {
          throw new InterruptedException("stop");
        };
    try (ResilientModel resilient = resilient(model, FAST, interrupted)) {
      assertThatThrownBy(() -> resilient.generate(request, new AtomicInteger()))
          .isInstanceOf(StoryMagicException.ModelUnavailable.class);
      assertThat(Thread.interrupted()).as("interrupt kept (and cleared here)").isTrue();
    }
    assertThat(model.calls()).isEqualTo(1);
  }
}
