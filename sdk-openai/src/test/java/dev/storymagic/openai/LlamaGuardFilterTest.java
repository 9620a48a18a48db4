package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.testing.SampleStories;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LlamaGuardFilterTest {
  private static final SafetyContext INPUT =
      new SafetyContext(SafetyStage.INPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults());
  private static final SafetyContext OUTPUT =
      new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults());
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  private static void guardAnswers(String content) {
    stub.server.stubFor(
        stub.chat().willReturn(okJson(OpenAiStub.completion(content, "stop", 200, 3))));
  }

  private static LlamaGuardFilter.Builder guard() {
    return LlamaGuardFilter.builder()
        .baseUrl(stub.baseUrl())
        .model("llama-guard3:8b")
        .timeout(Duration.ofSeconds(2));
  }

  @Test
  void safe_hasNoFindings_andTheStoryIsSentAsTheAssistantTurn() {
    guardAnswers("safe");
    try (LlamaGuardFilter filter = guard().build()) {
      assertThat(filter.check("Mia shared her cocoa.", OUTPUT).findings()).isEmpty();
    }
    stub.server.verify(
        1,
        postRequestedFor(urlEqualTo(OpenAiStub.CHAT))
            .withRequestBody(
                equalToJson(
                    "{\"model\":\"llama-guard3:8b\",\"temperature\":0,\"max_tokens\":20,\"messages\":["
                        + "{\"role\":\"user\",\"content\":\""
                        + LlamaGuardFilter.STORY_REQUEST
                        + "\"},"
                        + "{\"role\":\"assistant\",\"content\":\"Mia shared her cocoa.\"}]}")));
  }

  @Test
  void userText_isSentAsTheUserTurn() {
    guardAnswers("safe");
    try (LlamaGuardFilter filter = guard().build()) {
      filter.check("a dragon who loves tea", INPUT);
    }
    stub.server.verify(
        1,
        postRequestedFor(urlEqualTo(OpenAiStub.CHAT))
            .withRequestBody(
                equalToJson(
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"a dragon who loves tea\"}]}",
                    true,
                    true)));
  }

  @Test
  void unsafe_mapsEachNamedCategoryWithItsSeverityUnderThePolicy() {
    guardAnswers("unsafe\nS1,S10");
    try (LlamaGuardFilter filter = guard().build()) {
      SafetyVerdict verdict = filter.check("a story", OUTPUT);
      assertThat(verdict.findings())
          .extracting(
              SafetyFinding::category,
              SafetyFinding::severity,
              SafetyFinding::source,
              SafetyFinding::blocking)
          .containsExactlyInAnyOrder(
              tuple(SafetyCategory.VIOLENCE, Severity.HIGH, "llama-guard:S1", true),
              tuple(SafetyCategory.HATE, Severity.HIGH, "llama-guard:S10", true));
      assertThat(verdict.blocked()).isTrue();
    }
  }

  @Test
  void theFourteenCategoriesAreMappedInOnePlace() {
    assertThat(LlamaGuardFilter.CATEGORIES).hasSize(14).containsKeys("S1", "S14");
    assertThat(LlamaGuardFilter.CATEGORIES.get("S4"))
        .get()
        .extracting(LlamaGuardFilter.CategoryMapping::category)
        .isEqualTo(SafetyCategory.SEXUAL_MINORS);
    assertThat(LlamaGuardFilter.CATEGORIES.get("S11"))
        .get()
        .extracting(LlamaGuardFilter.CategoryMapping::category)
        .isEqualTo(SafetyCategory.SELF_HARM);
    assertThat(LlamaGuardFilter.CATEGORIES.get("S8"))
        .as("intellectual property: no child-safety counterpart")
        .isEqualTo(Optional.empty());
    assertThat(LlamaGuardFilter.parse("unsafe\nS8").codes()).containsExactly("S8");
    assertThat(LlamaGuardFilter.findings(LlamaGuardFilter.parse("unsafe\nS8"))).isEmpty();
  }

  @Test
  void answersAreReadTolerantlyAndAnythingElseIsUnreadable() {
    assertThat(LlamaGuardFilter.parse("  safe\n").codes()).isEmpty();
    assertThat(LlamaGuardFilter.parse("unsafe\nS2, S12").codes())
        .containsExactlyInAnyOrder("S2", "S12");
    assertThatThrownBy(() -> LlamaGuardFilter.parse("I cannot help with that"))
        .hasMessageContaining("expected 'safe' or 'unsafe'");
    assertThatThrownBy(() -> LlamaGuardFilter.parse("unsafe"))
        .hasMessageContaining("without naming a category");
    assertThatThrownBy(() -> LlamaGuardFilter.parse("unsafe\nS15"))
        .hasMessageContaining("unknown category: S15");
  }

  @Test
  void outage_inputFailsOpen_outputFailsClosed_andIsNotCached() {
    stub.server.stubFor(stub.chat().willReturn(aResponse().withStatus(503)));
    try (LlamaGuardFilter filter = guard().build()) {
      assertThat(filter.check("a dragon", INPUT).findings()).isEmpty();
      assertThat(filter.check("a dragon", OUTPUT).findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.category()).isEqualTo(SafetyCategory.UNVERIFIED);
                assertThat(f.source()).isEqualTo("llama-guard-unavailable");
                assertThat(f.blocking()).isTrue();
              });
      guardAnswers("safe");
      assertThat(filter.check("a dragon", OUTPUT).findings()).isEmpty();
    }
  }

  @Test
  void unreadableAnswer_isAnOutage() {
    guardAnswers("Sure! Here is a poem about dragons.");
    try (LlamaGuardFilter filter = guard().build()) {
      assertThat(filter.check("a dragon", OUTPUT).findings())
          .singleElement()
          .satisfies(f -> assertThat(f.source()).isEqualTo("llama-guard-unavailable"));
    }
  }

  @Test
  void missingModelOrEndpoint_isReportedAsAbsent() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody("{\"error\":{\"message\":\"model 'llama-guard3:8b' not found\"}}")));
    try (LlamaGuardFilter filter = guard().build()) {
      assertThat(filter.check("a dragon", OUTPUT).findings())
          .singleElement()
          .satisfies(f -> assertThat(f.source()).isEqualTo("llama-guard-absent"));
      assertThat(filter.check("another dragon", OUTPUT).findings())
          .singleElement()
          .satisfies(f -> assertThat(f.source()).isEqualTo("llama-guard-absent"));
    }
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @Test
  void verdictsAreCachedAndConcurrentChecksShareOneCall() throws Exception {
    stub.server.stubFor(
        stub.chat()
            .willReturn(okJson(OpenAiStub.completion("safe", "stop", 1, 1)).withFixedDelay(300)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (LlamaGuardFilter filter = guard().build()) {
      CompletableFuture<?>[] checks = new CompletableFuture<?>[8];
      Arrays.setAll(
          checks,
          i -> CompletableFuture.runAsync(() -> filter.check("the same story", OUTPUT), pool));
      CompletableFuture.allOf(checks).get();
      filter.check("the same story", INPUT);
    } finally {
      pool.shutdownNow();
    }
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @Test
  void inThePipeline_anUnsafeStoryIsNeverReturned() {
    stub.server.stubFor(
        stub.chat()
            .atPriority(2)
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing("llama-guard3"))
            .willReturn(okJson(OpenAiStub.completion("safe", "stop", 1, 2))));
    stub.server.stubFor(
        stub.chat()
            .atPriority(1)
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing("llama-guard3"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing("\"assistant\""))
            .willReturn(okJson(OpenAiStub.completion("unsafe\nS1", "stop", 1, 2))));
    stub.server.stubFor(
        stub.chat().atPriority(3).willReturn(okJson(OpenAiStub.structuredCompletion())));
    try (OpenAiStoryModel model = stub.model().build();
        StoryMagic magic =
            StoryMagic.builder()
                .model(model)
                .moderation(LlamaGuardFilter.builder().from(model).model("llama-guard3:8b").build())
                .resilience(OpenAiStub.fastRetries())
                .build()) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOfSatisfying(
              StoryMagicException.UnsafeOutput.class,
              e -> assertThat(e.violationTypes()).containsExactly(SafetyCategory.VIOLENCE));
    }
  }

  @Test
  void builder_needsAServerAndRejectsMixingAModelWithEndpointOptions() {
    assertThatThrownBy(() -> LlamaGuardFilter.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set baseUrl");
    try (OpenAiStoryModel model = stub.model().build()) {
      assertThatThrownBy(
              () -> LlamaGuardFilter.builder().from(model).baseUrl("http://localhost:1/v1").build())
          .isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> LlamaGuardFilter.builder().model("a").model("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model was already set");
    assertThat(List.of(LlamaGuardFilter.builder().baseUrl("http://localhost:11434/v1").build()))
        .allSatisfy(
            f -> {
              assertThat(f.version()).isEqualTo("llama-guard:llama-guard3:1");
              f.close();
            });
  }
}
