package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.RecordingStoryListener;
import dev.storymagic.testing.SampleStories;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Token usage and estimated cost reach the story and the GenAI metrics. */
class OpenAiUsageAndCostTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  @Test
  void generate_carriesUsageAndCostOnTheStoryAndRecordsTokenMetrics() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    Story story;
    try (OpenAiStoryModel model = stub.model().build();
        StoryMagic magic =
            StoryMagic.builder()
                .model(model)
                .safety(SafetyFilter.passThrough())
                .resilience(OpenAiStub.fastRetries())
                .meterRegistry(registry)
                .build()) {
      story = magic.generate(SampleStories.request());
    }

    assertThat(story.usage()).isEqualTo(new TokenUsage(120, 85));
    // gpt-4o-mini: 120 x $0.15/M + 85 x $0.60/M = $0.000018 + $0.000051
    assertThat(story.estimatedCostUsd()).isEqualByComparingTo(new BigDecimal("0.000069"));
    DistributionSummary input =
        registry
            .find("gen_ai.client.token.usage")
            .tags(
                "gen_ai.token.type",
                "input",
                "gen_ai.request.model",
                "openai:gpt-4o-mini",
                "gen_ai.system",
                "openai")
            .summary();
    DistributionSummary output =
        registry
            .find("gen_ai.client.token.usage")
            .tags("gen_ai.token.type", "output", "gen_ai.request.model", "openai:gpt-4o-mini")
            .summary();
    assertThat(input).isNotNull();
    assertThat(input.totalAmount()).isEqualTo(120);
    assertThat(output).isNotNull();
    assertThat(output.totalAmount()).isEqualTo(85);
  }

  @Test
  void stream_carriesUsageFromTheLastChunkOntoTheStory() {
    stub.server.stubFor(
        stub.chat().willReturn(OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse())));

    Story story;
    try (OpenAiStoryModel model = stub.model().build();
        StoryMagic magic = OpenAiStub.magic(model)) {
      story = magic.stream(SampleStories.request(), new RecordingStoryListener()).join();
    }

    assertThat(story.usage()).isEqualTo(new TokenUsage(120, 85));
    assertThat(story.estimatedCostUsd()).isEqualByComparingTo(new BigDecimal("0.000069"));
  }

  @Test
  void overriddenPriceTable_pricesTheConfiguredModel() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    PriceTable prices = PriceTable.defaults().withPrice("gpt-4o-mini", "1.00", "2.00");

    try (OpenAiStoryModel model = stub.model().priceTable(prices).build()) {
      // 120 x $1/M + 85 x $2/M
      assertThat(model.generate(OpenAiStub.modelRequest()).estimatedCostUsd())
          .isEqualByComparingTo(new BigDecimal("0.000290"));
    }
  }

  @Test
  void unpricedLocalModel_costsNothing() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                okJson(
                    OpenAiStub.structuredCompletion()
                        .replace("gpt-4o-mini-2024-07-18", "llama3.2:latest"))));

    try (OpenAiStoryModel model =
        OpenAiStoryModel.builder().baseUrl(stub.baseUrl()).model("llama3.2").build()) {
      var response = model.generate(OpenAiStub.modelRequest());
      assertThat(response.usage()).isEqualTo(new TokenUsage(120, 85));
      assertThat(response.estimatedCostUsd()).isZero();
    }
  }
}
