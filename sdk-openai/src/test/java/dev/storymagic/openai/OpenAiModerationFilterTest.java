package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.testing.SampleStories;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiModerationFilterTest {
  private static final String MODERATIONS = "/v1/moderations";
  private static final SafetyContext OUTPUT_6_8 =
      new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults());
  private static final SafetyContext OUTPUT_9_12 =
      new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_9_12, SafetyPolicy.defaults());
  private static final SafetyContext INPUT_6_8 =
      new SafetyContext(SafetyStage.INPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults());

  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  @Test
  void check_mapsCategoriesAndScoresToFindingsAndThePolicyThresholdsDecide() {
    stubModeration(
        Map.of(
            "violence",
            0.62,
            "sexual",
            0.001,
            "harassment",
            0.1,
            "self-harm/intent",
            0.95,
            "hate",
            0.31,
            "future-category",
            0.99),
        List.of("violence", "harassment", "self-harm/intent", "future-category"));

    try (OpenAiModerationFilter filter = filter().build()) {
      SafetyVerdict younger = filter.check("a story", OUTPUT_6_8);
      SafetyVerdict youngest =
          filter.check(
              "a story",
              new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_3_5, SafetyPolicy.defaults()));

      // The provider's score is the finding's score; a flag below the policy's threshold does not
      // block.
      assertThat(younger.findings())
          .extracting(
              SafetyFinding::category,
              SafetyFinding::severity,
              SafetyFinding::score,
              SafetyFinding::blocking)
          .containsExactlyInAnyOrder(
              tuple(SafetyCategory.HARASSMENT, Severity.LOW, 0.1, false),
              tuple(SafetyCategory.HATE, Severity.LOW, 0.31, false),
              tuple(SafetyCategory.SELF_HARM_INTENT, Severity.HIGH, 0.95, true),
              tuple(SafetyCategory.VIOLENCE, Severity.MEDIUM, 0.62, false));
      assertThat(younger.findings())
          .allSatisfy(
              f -> {
                assertThat(f.source()).isEqualTo("openai-moderation");
                assertThat(f.hasSpan()).isFalse();
              });
      assertThat(younger.policyVersion()).isEqualTo(SafetyPolicy.DEFAULT_VERSION);
      assertThat(youngest.findings())
          .filteredOn(f -> f.category() == SafetyCategory.VIOLENCE)
          .singleElement()
          .satisfies(f -> assertThat(f.blocking()).as("ages 3-5 block violence from 0.5").isTrue());
    }
    stub.server.verify(
        1,
        postRequestedFor(urlEqualTo(MODERATIONS))
            .withRequestBody(
                equalToJson("{\"model\":\"omni-moderation-latest\",\"input\":\"a story\"}"))
            .withHeader(
                "Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                    "Bearer sk-test-0123456789")));
  }

  @Test
  void check_cleanText_hasNoFindings() {
    stubModeration(Map.of("violence", 0.01, "sexual", 0.0), List.of());

    try (OpenAiModerationFilter filter = filter().build()) {
      SafetyVerdict verdict = filter.check("Mia shared her cocoa.", OUTPUT_6_8);
      assertThat(verdict.findings()).isEmpty();
      assertThat(verdict.allowed()).isTrue();
    }
  }

  @Test
  void customSeverityThresholds_changeWhatIsReportedAndTheSeverityButNotWhatBlocks() {
    stubModeration(Map.of("violence", 0.62, "hate", 0.15), List.of());

    try (OpenAiModerationFilter filter = filter().severityThresholds(0.1, 0.2, 0.6).build()) {
      assertThat(filter.check("a story", OUTPUT_9_12).findings())
          .extracting(SafetyFinding::category, SafetyFinding::severity, SafetyFinding::blocking)
          .containsExactlyInAnyOrder(
              tuple(SafetyCategory.VIOLENCE, Severity.HIGH, false),
              tuple(SafetyCategory.HATE, Severity.LOW, false));
    }
  }

  @Test
  void assess_servesEveryAgeGroupFromOneCall() {
    stubModeration(Map.of("violence", 0.75), List.of("violence"));

    try (OpenAiModerationFilter filter = filter().build()) {
      dev.storymagic.spi.SafetyAssessment assessment = filter.assess("a story", SafetyStage.OUTPUT);
      assertThat(assessment.verdict(AgeGroup.AGES_3_5, SafetyPolicy.defaults()).blocked()).isTrue();
      assertThat(assessment.verdict(AgeGroup.AGES_6_8, SafetyPolicy.defaults()).blocked()).isTrue();
      assertThat(assessment.verdict(AgeGroup.AGES_9_12, SafetyPolicy.defaults()).blocked())
          .isFalse();
    }
    stub.server.verify(1, postRequestedFor(urlEqualTo(MODERATIONS)));
  }

  @Test
  void check_sameTextTwice_makesOneRequest() {
    stubModeration(Map.of("violence", 0.62), List.of("violence"));

    try (OpenAiModerationFilter filter = filter().build()) {
      SafetyVerdict first = filter.check("The dragon roared.", OUTPUT_6_8);
      SafetyVerdict second = filter.check("The dragon roared.", INPUT_6_8);
      filter.check("Another text.", OUTPUT_6_8);

      assertThat(second.findings()).isEqualTo(first.findings());
    }
    assertThat(moderationRequests()).isEqualTo(2);
  }

  @Test
  void check_concurrentChecksOfOneText_shareOneRequest() throws Exception {
    stub.server.stubFor(
        post(urlEqualTo(MODERATIONS))
            .willReturn(
                okJson(moderationBody(Map.of("violence", 0.2), List.of())).withFixedDelay(300)));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (OpenAiModerationFilter filter = filter().build()) {
      List<Future<SafetyVerdict>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(pool.submit(() -> filter.check("Same text for everyone.", OUTPUT_6_8)));
      }
      for (Future<SafetyVerdict> f : results) {
        assertThat(f.get().allowed()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(moderationRequests()).isEqualTo(1);
  }

  @Test
  void outage_atOutput_failsClosedWithABlockingFinding() {
    stub.server.stubFor(post(urlEqualTo(MODERATIONS)).willReturn(aResponse().withStatus(503)));

    try (OpenAiModerationFilter filter = filter().build()) {
      SafetyVerdict verdict = filter.check("a story", OUTPUT_9_12);

      assertThat(verdict.blocked()).isTrue();
      assertThat(verdict.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.source()).isEqualTo("openai-moderation-unavailable");
                assertThat(f.category()).isEqualTo(SafetyCategory.UNVERIFIED);
                assertThat(f.severity()).isEqualTo(Severity.HIGH);
                assertThat(f.blocking()).isTrue();
              });
    }
    assertThat(moderationRequests()).isEqualTo(1);
  }

  @Test
  void outage_atInput_failsOpenToTheLocalClassifier() {
    stub.server.stubFor(
        post(urlEqualTo(MODERATIONS))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    try (OpenAiModerationFilter filter = filter().build()) {
      SafetyVerdict verdict = filter.check("Mia and Bolt", INPUT_6_8);

      assertThat(verdict.findings()).isEmpty();
      assertThat(verdict.allowed()).isTrue();
    }
  }

  @Test
  void outage_isNotCached_theNextCheckAsksAgain() {
    stub.server.stubFor(post(urlEqualTo(MODERATIONS)).willReturn(aResponse().withStatus(500)));

    try (OpenAiModerationFilter filter = filter().build()) {
      filter.check("a story", OUTPUT_6_8);
      stubModeration(Map.of("violence", 0.0), List.of());
      assertThat(filter.check("a story", OUTPUT_6_8).allowed()).isTrue();
    }
    assertThat(moderationRequests()).isEqualTo(2);
  }

  @Test
  void outage_slowerThanTheTimeout_answersByPolicyWithinTheTimeout() {
    stub.server.stubFor(
        post(urlEqualTo(MODERATIONS))
            .willReturn(
                okJson(moderationBody(Map.of("violence", 0.0), List.of())).withFixedDelay(3000)));

    try (OpenAiModerationFilter filter = filter().timeout(Duration.ofMillis(300)).build()) {
      long start = System.nanoTime();
      SafetyVerdict verdict = filter.check("a story", OUTPUT_6_8);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(verdict.blocked()).isTrue();
      assertThat(verdict.findings())
          .singleElement()
          .satisfies(f -> assertThat(f.source()).isEqualTo("openai-moderation-unavailable"));
    }
  }

  @Test
  void outage_malformedAnswer_isAnOutage() {
    stub.server.stubFor(
        post(urlEqualTo(MODERATIONS)).willReturn(okJson("{\"results\":[{\"flagged\":true}]}")));

    try (OpenAiModerationFilter filter = filter().build()) {
      assertThat(filter.check("a story", OUTPUT_6_8).findings())
          .singleElement()
          .satisfies(f -> assertThat(f.source()).isEqualTo("openai-moderation-unavailable"));
      assertThat(filter.check("a story", INPUT_6_8).findings()).isEmpty();
    }
  }

  @Test
  void outagePolicies_areConfigurablePerStage() {
    stub.server.stubFor(post(urlEqualTo(MODERATIONS)).willReturn(aResponse().withStatus(502)));

    try (OpenAiModerationFilter filter =
        filter()
            .onOutage(SafetyStage.INPUT, OutagePolicy.FAIL_CLOSED)
            .onOutage(SafetyStage.OUTPUT, OutagePolicy.FAIL_OPEN)
            .failClosedCategory(SafetyCategory.PROMPT_INJECTION)
            .build()) {
      assertThat(filter.check("a story", OUTPUT_6_8).findings()).isEmpty();
      assertThat(filter.check("an idea", INPUT_6_8).violationTypes())
          .containsExactly(SafetyCategory.PROMPT_INJECTION);
    }
  }

  @Test
  void failClosed_isADecisiveFindingThatOnlyAPolicyAllowingUnverifiedTextLetsThrough() {
    stub.server.stubFor(post(urlEqualTo(MODERATIONS)).willReturn(aResponse().withStatus(503)));
    SafetyPolicy lenient =
        SafetyPolicy.builder()
            .version("unchecked-ok")
            .allow(AgeGroup.AGES_9_12, SafetyCategory.UNVERIFIED)
            .build();

    try (OpenAiModerationFilter filter = filter().build()) {
      dev.storymagic.spi.SafetyAssessment assessment = filter.assess("a story", SafetyStage.OUTPUT);
      assertThat(assessment.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.category()).isEqualTo(SafetyCategory.UNVERIFIED);
                assertThat(f.decisive()).isTrue();
                assertThat(f.source()).isEqualTo(OpenAiModerationFilter.UNAVAILABLE_SOURCE);
              });
      assertThat(assessment.verdict(AgeGroup.AGES_6_8, lenient).violationTypes())
          .containsExactly(SafetyCategory.UNVERIFIED);
      SafetyVerdict older = assessment.verdict(AgeGroup.AGES_9_12, lenient);
      assertThat(older.allowed()).isTrue();
      assertThat(older.policyVersion()).isEqualTo("unchecked-ok");
    }
  }

  @Test
  void builder_validatesCredentialsAndHeadersLikeTheModel() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                OpenAiModerationFilter.builder()
                    .connection(
                        OpenAiConnection.custom()
                            .apiKey("sk-test-0123456789")
                            .organization("org\nX-Evil: 1")
                            .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("organization contains characters not allowed in a header");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OpenAiModerationFilter.builder().apiKey("sk bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiKey contains whitespace or control characters");
  }

  @Test
  void filter_isRemoteOnly() {
    try (OpenAiModerationFilter filter = filter().build()) {
      assertThat(filter.incremental()).isFalse();
      assertThat(filter.name()).isEqualTo("openai-moderation");
      assertThat(filter.check("  ", OUTPUT_6_8).findings()).isEmpty();
    }
    assertThat(moderationRequests()).isZero();
  }

  @Test
  void fromModel_sharesEndpointAndConnectionPool() {
    stubModeration(Map.of("violence", 0.0), List.of());
    OpenAiStoryModel model =
        OpenAiStub.model(stub.connection().organization("org-x").build()).build();
    try (OpenAiModerationFilter filter = OpenAiModerationFilter.create(model)) {
      model.close();
      assertThat(model.transport().isClosed()).as("the filter still holds the pool").isFalse();
      assertThat(filter.check("a story", OUTPUT_6_8).allowed()).isTrue();
    }
    assertThat(model.transport().isClosed()).isTrue();
    stub.server.verify(
        1,
        postRequestedFor(urlEqualTo(MODERATIONS))
            .withHeader(
                "OpenAI-Organization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("org-x")));
  }

  @Test
  void builder_rejectsBadOptions() {
    assertThatThrownBy(() -> OpenAiModerationFilter.builder().severityThresholds(0.5, 0.4, 0.9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("thresholds must satisfy 0 < low <= medium <= high <= 1: 0.5, 0.4, 0.9");
    assertThatThrownBy(() -> OpenAiModerationFilter.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive: PT0S");
    assertThatThrownBy(() -> OpenAiModerationFilter.builder().model("a").model("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model was already set");
    assertThatThrownBy(
            () ->
                OpenAiModerationFilter.builder()
                    .onOutage(SafetyStage.INPUT, OutagePolicy.FAIL_OPEN)
                    .onOutage(SafetyStage.INPUT, OutagePolicy.FAIL_OPEN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("onOutage(INPUT) was already set");
    assertThatThrownBy(() -> OpenAiModerationFilter.builder().environment(name -> null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no API key");
    try (OpenAiStoryModel model = stub.model().build()) {
      assertThatThrownBy(
              () -> OpenAiModerationFilter.builder().from(model).apiKey("sk-other").build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("uses the model's endpoint");
    }
  }

  @Test
  void pipeline_flaggedStory_isNeverReturned() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    stubModeration(Map.of("violence/graphic", 0.0), List.of());
    stub.server.stubFor(
        post(urlEqualTo(MODERATIONS))
            .atPriority(1)
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                    "$.input",
                    com.github.tomakehurst.wiremock.client.WireMock.containing(
                        OpenAiStub.PARAGRAPHS.get(0))))
            .willReturn(
                okJson(
                    moderationBody(
                        Map.of("violence/graphic", 0.91), List.of("violence/graphic")))));

    try (OpenAiStoryModel model = stub.model().build();
        StoryMagic magic =
            StoryMagic.builder()
                .model(model)
                .safety(SafetyFilter.passThrough())
                .moderation(OpenAiModerationFilter.create(model))
                .resilience(OpenAiStub.fastRetries())
                .build()) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOfSatisfying(
              StoryMagicException.UnsafeOutput.class,
              e -> assertThat(e.getMessage()).contains("violence/graphic"));
    }
    assertThat(stub.chatRequests()).isEqualTo(SafetyPolicy.defaults().maxOutputAttempts());
    assertThat(moderationRequests())
        .as("the input once, the same story once thanks to the cache")
        .isEqualTo(2);
  }

  @Test
  void plugin_installsModelAndModeration() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    stubModeration(Map.of("violence", 0.01), List.of());

    try (OpenAiStoryModel model = stub.model().build();
        StoryMagic magic =
            StoryMagic.builder()
                .install(OpenAiPlugin.of(model))
                .resilience(OpenAiStub.fastRetries())
                .build()) {
      assertThat(magic.generate(SampleStories.request()).title()).isEqualTo(OpenAiStub.TITLE);
    }
    assertThat(moderationRequests())
        .as("the user's text at input, the story at output")
        .isEqualTo(2);
  }

  private OpenAiModerationFilter.Builder filter() {
    return OpenAiModerationFilter.builder().baseUrl(stub.baseUrl()).apiKey("sk-test-0123456789");
  }

  private void stubModeration(Map<String, Double> scores, List<String> flagged) {
    stub.server.stubFor(
        post(urlEqualTo(MODERATIONS)).willReturn(okJson(moderationBody(scores, flagged))));
  }

  private int moderationRequests() {
    return stub.server
        .countRequestsMatching(postRequestedFor(urlEqualTo(MODERATIONS)).build())
        .getCount();
  }

  private static String moderationBody(Map<String, Double> scores, List<String> flagged) {
    ObjectNode root =
        OpenAiStub.JSON
            .createObjectNode()
            .put("id", "modr-1")
            .put("model", "omni-moderation-2024-09-26");
    ObjectNode result = root.putArray("results").addObject();
    result.put("flagged", !flagged.isEmpty());
    ObjectNode categories = result.putObject("categories");
    ObjectNode categoryScores = result.putObject("category_scores");
    scores.forEach(
        (label, score) -> {
          categories.put(label, flagged.contains(label));
          categoryScores.put(label, score);
        });
    return root.toString();
  }
}
