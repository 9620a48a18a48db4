package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.SampleStories;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client span of a chat call: GenAI semantic conventions, under the pipeline's attempt, no
 * text.
 */
class ChatSpanTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  private StoryMagic magic(OpenAiStoryModel model) {
    return StoryMagic.builder()
        .model(model)
        .safety(SafetyFilter.passThrough())
        .resilience(OpenAiStub.fastRetries())
        .openTelemetry(otel)
        .build();
  }

  @Test
  void aCompletedCallIsAChatSpanUnderItsAttempt() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    Story story;
    try (OpenAiStoryModel model = stub.model().openTelemetry(otel).build();
        StoryMagic magic = magic(model)) {
      story = magic.generate(SampleStories.request());
    }

    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData chat = only(spans, "chat gpt-4o-mini");
    assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "story.model.attempt").getSpanId());
    var a = chat.getAttributes();
    assertThat(a.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
    assertThat(a.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(120L);
    assertThat(a.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(85L);
    assertThat(a.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("stop");
    assertThat(a.get(AttributeKey.stringKey("server.address"))).isEqualTo("localhost");
    assertThat(a.get(AttributeKey.longKey("server.port"))).isEqualTo((long) stub.server.port());
    assertThat(a.get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isPositive();
    for (SpanData span : spans) {
      span.getAttributes()
          .forEach(
              (key, value) -> {
                assertThat(String.valueOf(value))
                    .as(key.getKey())
                    .doesNotContain("Mia")
                    .doesNotContain(story.title())
                    .doesNotContain(story.paragraphs().get(0).substring(0, 30))
                    .doesNotContain("sk-test");
              });
    }
  }

  @Test
  void aTruncatedAnswerRecordsItsFinishReasonAndFails() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                okJson(
                    OpenAiStub.structuredCompletion(
                        OpenAiStub.TITLE, OpenAiStub.PARAGRAPHS, "length"))));
    try (OpenAiStoryModel model = stub.model().openTelemetry(otel).build();
        StoryMagic magic = magic(model)) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.ModelFailure.class);
    }

    SpanData chat = only(exporter.getFinishedSpanItems(), "chat gpt-4o-mini");
    assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(
            chat.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("length");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("model_failure");
  }

  @Test
  void withoutAnOpenTelemetryNoSpanIsMadeAndNothingBreaks() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    try (OpenAiStoryModel model = stub.model().build()) {
      assertThat(model.generate(OpenAiStub.modelRequest()).paragraphs()).isNotEmpty();
    }
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as(name + " in " + spans.stream().map(SpanData::getName).toList()).hasSize(1);
    return named.get(0);
  }
}
