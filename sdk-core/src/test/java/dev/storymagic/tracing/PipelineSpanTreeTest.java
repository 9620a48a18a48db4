package dev.storymagic.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.ResilienceSettings;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The spans of one generation: names, parent links, attributes, and never a child's or a story's
 * text.
 */
class PipelineSpanTreeTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

  @AfterEach
  void close() {
    otel.close();
  }

  private StoryMagic magic(ScriptedStoryModel model) {
    return StoryMagic.builder()
        .model(model)
        .store(InMemoryStoryStore.create(100))
        .openTelemetry(otel)
        .resilience(
            ResilienceSettings.builder()
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5))
                .build())
        .build();
  }

  private static StoryRequest owned() {
    return SampleStories.request().toBuilder().owner("user-1").build();
  }

  @Test
  void aGenerationIsOneTreeUnderStoryGenerate() {
    Story story;
    try (StoryMagic magic = magic(ScriptedStoryModel.safe())) {
      story = magic.generate(owned());
    }

    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData root = only(spans, "story.generate");
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(root.getAttributes().get(AttributeKey.stringKey("storymagic.theme")))
        .isEqualTo("space");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("storymagic.age_group")))
        .isEqualTo("6-8");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("storymagic.cache.served_from")))
        .isEqualTo("none");
    assertThat(root.getAttributes().get(AttributeKey.longKey("storymagic.model.calls")))
        .isEqualTo(1L);

    Map<String, List<SpanData>> children =
        spans.stream().filter(s -> s != root).collect(Collectors.groupingBy(SpanData::getName));
    assertThat(children.keySet())
        .containsExactlyInAnyOrder(
            "story.input_safety",
            "story.cache.get",
            "story.model.attempt",
            "story.output_safety",
            "story.store.save");
    for (SpanData child : spans) {
      if (child != root) {
        assertThat(child.getParentSpanId()).as(child.getName()).isEqualTo(root.getSpanId());
        assertThat(child.getTraceId()).isEqualTo(root.getTraceId());
      }
    }
    SpanData lookup = only(spans, "story.cache.get");
    assertThat(lookup.getAttributes().get(AttributeKey.stringKey("storymagic.cache.tier")))
        .isEqualTo("l1");
    assertThat(lookup.getAttributes().get(AttributeKey.booleanKey("storymagic.cache.hit")))
        .isFalse();
    SpanData attempt = only(spans, "story.model.attempt");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("chat");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
        .isEqualTo("scripted-1");
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(100L);
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(200L);
    assertThat(
            only(spans, "story.input_safety")
                .getAttributes()
                .get(AttributeKey.booleanKey("storymagic.safety.blocked")))
        .isFalse();

    assertNoTextIn(spans, story);
  }

  @Test
  void anL1HitIsTheRootAndOneLookup() {
    try (StoryMagic magic = magic(ScriptedStoryModel.safe())) {
      magic.generate(SampleStories.request());
      exporter.reset();
      magic.generate(SampleStories.request());
    }

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("story.input_safety", "story.cache.get", "story.generate");
    assertThat(
            only(spans, "story.cache.get")
                .getAttributes()
                .get(AttributeKey.booleanKey("storymagic.cache.hit")))
        .isTrue();
    assertThat(
            only(spans, "story.generate")
                .getAttributes()
                .get(AttributeKey.stringKey("storymagic.cache.served_from")))
        .isEqualTo("l1");
  }

  @Test
  void everyRetryIsItsOwnAttemptSpan() {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(
                new StoryMagicException.ModelUnavailable(
                    StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR,
                    "busy",
                    null,
                    null));
    try (StoryMagic magic = magic(model)) {
      magic.generate(SampleStories.request());
    }

    List<SpanData> attempts =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("story.model.attempt"))
            .toList();
    assertThat(attempts).hasSize(2);
    assertThat(attempts)
        .extracting(s -> s.getAttributes().get(AttributeKey.longKey("storymagic.model.call")))
        .containsExactlyInAnyOrder(1L, 2L);
    SpanData failed =
        attempts.stream()
            .filter(s -> s.getAttributes().get(AttributeKey.longKey("storymagic.model.call")) == 1L)
            .findFirst()
            .orElseThrow();
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("model_unavailable");
    assertThat(failed.getEvents()).as("no exception event: messages can quote user text").isEmpty();
  }

  @Test
  void aRejectedRequestRecordsTheCategoriesOnly() {
    StoryRequest unsafe =
        SampleStories.request().toBuilder().idea("my email is mia.smith@example.com").build();
    try (StoryMagic magic = magic(ScriptedStoryModel.safe())) {
      assertThatThrownBy(() -> magic.generate(unsafe))
          .isInstanceOf(StoryMagicException.UnsafeInput.class);
    }

    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData safety = only(spans, "story.input_safety");
    assertThat(safety.getAttributes().get(AttributeKey.booleanKey("storymagic.safety.blocked")))
        .isTrue();
    assertThat(
            safety.getAttributes().get(AttributeKey.stringArrayKey("storymagic.safety.violations")))
        .isNotEmpty();
    assertThat(only(spans, "story.generate").getStatus().getStatusCode())
        .isEqualTo(StatusCode.ERROR);
    assertThat(spans.toString()).doesNotContain("mia.smith").doesNotContain("example.com");
  }

  @Test
  void underAParentTheSamplerDroppedNothingIsStarted() {
    SpanContext dropped =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getDefault(),
            TraceState.getDefault());
    try (StoryMagic magic = magic(ScriptedStoryModel.safe());
        Scope ignored = Span.wrap(dropped).makeCurrent()) {
      magic.generate(owned());
    }

    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void asyncGenerationJoinsTheCallersTrace() throws Exception {
    Span parent = otel.getTracer("test").spanBuilder("http").startSpan();
    try (StoryMagic magic = magic(ScriptedStoryModel.safe())) {
      try (Scope ignored = parent.makeCurrent()) {
        magic.generateAsync(SampleStories.request()).get();
      }
    } finally {
      parent.end();
    }

    SpanData root = only(exporter.getFinishedSpanItems(), "story.generate");
    assertThat(root.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    // The model runs on another pool; its attempt still hangs under this generation.
    assertThat(only(exporter.getFinishedSpanItems(), "story.model.attempt").getParentSpanId())
        .isEqualTo(root.getSpanId());
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as(name).hasSize(1);
    return named.get(0);
  }

  /**
   * No attribute value holds a character's name or description, or any of the story's words beyond
   * one.
   */
  static void assertNoTextIn(List<SpanData> spans, Story story) {
    List<String> forbidden =
        new ArrayList<>(List.of("Mia", "curious girl", "Bolt", "friendly robot", story.title()));
    for (String paragraph : story.paragraphs()) {
      for (String sentence : paragraph.split("(?<=[.!?])\\s+")) {
        forbidden.add(sentence.strip());
      }
    }
    for (SpanData span : spans) {
      span.getAttributes()
          .forEach(
              (key, value) -> {
                for (String text : forbidden) {
                  assertThat(String.valueOf(value))
                      .as(span.getName() + " " + key)
                      .doesNotContain(text);
                }
              });
      assertThat(span.getName()).doesNotContain("Mia");
    }
  }
}
