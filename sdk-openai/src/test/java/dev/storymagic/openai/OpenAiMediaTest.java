package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.storymagic.AgeGroup;
import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import dev.storymagic.CacheTier;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import dev.storymagic.Timings;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.testing.SampleStories;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The images and speech clients against WireMock: success, moderation refusal, 429, timeouts. */
class OpenAiMediaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String IMAGES = "/v1/images/generations";
  static final String SPEECH = "/v1/audio/speech";
  static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'
  };
  static final byte[] MP3 = {
    'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0
  };

  WireMockServer wm;
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  String base() {
    return wm.baseUrl() + "/v1";
  }

  OpenAiIllustrator.Builder illustrator() {
    return OpenAiIllustrator.builder()
        .baseUrl(base())
        .apiKey("sk-test-0123456789")
        .sleeper(sleeps::add);
  }

  OpenAiNarrator.Builder narrator() {
    return OpenAiNarrator.builder()
        .baseUrl(base())
        .apiKey("sk-test-0123456789")
        .sleeper(sleeps::add);
  }

  static String image(byte[] bytes, boolean usage) {
    return "{\"created\":1,\"data\":[{\"b64_json\":\""
        + Base64.getEncoder().encodeToString(bytes)
        + "\"}]"
        + (usage
            ? ",\"usage\":{\"input_tokens\":100,\"output_tokens\":1000,\"total_tokens\":1100}"
            : "")
        + "}";
  }

  @Test
  void drawsACoverAndScenesFromAPromptWithLooksButNoNamesAndCountsTheCost() throws Exception {
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .withHeader("Authorization", equalTo("Bearer sk-test-0123456789"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(image(PNG, true))));
    try (OpenAiIllustrator ill = illustrator().build()) {
      List<GeneratedAsset> pictures = ill.illustrate(SampleStories.story("alice"), 2);

      assertThat(pictures)
          .extracting(GeneratedAsset::kind)
          .containsExactly(AssetKind.COVER, AssetKind.SCENE, AssetKind.SCENE);
      assertThat(pictures)
          .allSatisfy(
              p -> {
                assertThat(p.type()).isEqualTo(AssetType.PNG);
                assertThat(p.bytes()).isEqualTo(PNG);
                assertThat(p.model()).isEqualTo("gpt-image-1");
                // 100 input tokens at $5/M and 1000 output tokens at $40/M.
                assertThat(p.estimatedCostUsd()).isEqualByComparingTo("0.0405");
              });
    }
    var requests = wm.findAll(postRequestedFor(urlEqualTo(IMAGES)));
    assertThat(requests).hasSize(3);
    JsonNode body = JSON.readTree(requests.get(0).getBodyAsString());
    assertThat(body.get("model").asText()).isEqualTo("gpt-image-1");
    assertThat(body.get("size").asText()).isEqualTo("1024x1024");
    assertThat(body.get("output_format").asText()).isEqualTo("webp");
    String prompt = body.get("prompt").asText();
    assertThat(prompt)
        .contains("aged 6-8")
        .contains("robot")
        .contains("starry sky")
        .doesNotContain("Mia")
        .doesNotContain("Bolt")
        .doesNotContain("sharing");
  }

  @Test
  void aPromptTheModerationFilterBlocksIsNeverSent() {
    wm.stubFor(
        post(urlEqualTo("/v1/moderations"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"results\":[{\"flagged\":true,\"categories\":{\"violence/graphic\":true},"
                            + "\"category_scores\":{\"violence/graphic\":0.99}}]}")));
    wm.stubFor(post(urlEqualTo(IMAGES)).willReturn(aResponse().withBody(image(PNG, false))));
    try (OpenAiModerationFilter moderation =
            OpenAiModerationFilter.builder().baseUrl(base()).apiKey("sk-test-0123456789").build();
        OpenAiIllustrator ill =
            illustrator().moderation(moderation, SafetyPolicy.defaults()).build()) {
      assertThatThrownBy(() -> ill.illustrate(SampleStories.story("alice"), 1))
          .isInstanceOf(StoryMagicException.UnsafeInput.class);
    }
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/v1/moderations")))).isNotEmpty();
    assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGES)))).isEmpty();
  }

  @Test
  void aPromptTheProviderRefusesIsAContentFailureAndNotRetried() {
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"Your request was rejected by the safety system.\",\"type\":\"image_generation_user_error\","
                            + "\"code\":\"moderation_blocked\"}}")));
    try (OpenAiIllustrator ill = illustrator().build()) {
      assertThatThrownBy(() -> ill.illustrate(SampleStories.story("alice"), 0))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelFailure.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED));
    }
    assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGES)))).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .inScenario("busy")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "2")
                    .withBody(
                        "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}"))
            .willSetStateTo("free"));
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .inScenario("busy")
            .whenScenarioStateIs("free")
            .willReturn(aResponse().withBody(image(PNG, false))));
    try (OpenAiIllustrator ill = illustrator().build()) {
      List<GeneratedAsset> pictures = ill.illustrate(SampleStories.story("alice"), 0);
      assertThat(pictures).hasSize(1);
      assertThat(pictures.get(0).estimatedCostUsd())
          .isEqualByComparingTo(OpenAiIllustrator.DEFAULT_USD_PER_PICTURE);
    }
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGES)))).hasSize(2);
  }

  @Test
  void a429ThatLastsGivesUpAfterTheAttemptsWithTheRetryHint() {
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "1")
                    .withBody(
                        "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}")));
    try (OpenAiIllustrator ill = illustrator().maxAttempts(3).build()) {
      assertThatThrownBy(() -> ill.illustrate(SampleStories.story("alice"), 0))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelUnavailable.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.UPSTREAM_RATE_LIMITED);
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
              });
    }
    assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGES)))).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  @Timeout(30)
  void aSilentEndpointTimesOutAndIsRetriedThenUnavailable() {
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .willReturn(aResponse().withFixedDelay(5_000).withBody(image(PNG, false))));
    try (OpenAiIllustrator ill =
        illustrator().timeout(Duration.ofMillis(300)).maxAttempts(2).build()) {
      assertThatThrownBy(() -> ill.illustrate(SampleStories.story("alice"), 0))
          .isInstanceOf(StoryMagicException.ModelUnavailable.class);
    }
    assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGES)))).hasSize(2);
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void anAnswerThatIsNotAPictureIsAnInvalidResponse() {
    wm.stubFor(
        post(urlEqualTo(IMAGES))
            .willReturn(
                aResponse().withBody(image("<html>".getBytes(StandardCharsets.UTF_8), false))));
    try (OpenAiIllustrator ill = illustrator().build()) {
      assertThatThrownBy(() -> ill.illustrate(SampleStories.story("alice"), 0))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelFailure.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE));
    }
  }

  @Test
  void readsTheWholeStoryInTheVoiceAndPaceOfItsAgeGroup() throws Exception {
    wm.stubFor(
        post(urlEqualTo(SPEECH))
            .willReturn(aResponse().withHeader("Content-Type", "audio/mpeg").withBody(MP3)));
    Story story = SampleStories.story("alice");
    try (OpenAiNarrator n = narrator().build()) {
      List<GeneratedAsset> audio = n.narrate(story);
      assertThat(audio).hasSize(1);
      assertThat(audio.get(0).type()).isEqualTo(AssetType.MP3);
      assertThat(audio.get(0).kind()).isEqualTo(AssetKind.NARRATION);
      assertThat(audio.get(0).bytes()).isEqualTo(MP3);
      assertThat(audio.get(0).estimatedCostUsd()).isGreaterThan(BigDecimal.ZERO);
    }
    JsonNode body =
        JSON.readTree(wm.findAll(postRequestedFor(urlEqualTo(SPEECH))).get(0).getBodyAsString());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini-tts");
    assertThat(body.get("voice").asText()).isEqualTo("sage");
    assertThat(body.get("speed").asDouble()).isEqualTo(0.95);
    assertThat(body.get("response_format").asText()).isEqualTo("mp3");
    assertThat(body.get("input").asText())
        .startsWith(story.title())
        .contains(story.paragraphs().get(2));

    Story little =
        story.deliveredAs(
            story.id(),
            story.request().toBuilder().ageGroup(AgeGroup.AGES_3_5).build(),
            CacheTier.NONE,
            new Timings(Duration.ZERO, Duration.ZERO),
            story.createdAt());
    wm.resetRequests();
    try (OpenAiNarrator n = narrator().perParagraph(true).build()) {
      assertThat(n.narrate(little)).extracting(GeneratedAsset::index).containsExactly(1, 2, 3, 4);
    }
    var perParagraph = wm.findAll(postRequestedFor(urlEqualTo(SPEECH)));
    assertThat(perParagraph).hasSize(4);
    JsonNode slow = JSON.readTree(perParagraph.get(0).getBodyAsString());
    assertThat(slow.get("voice").asText()).isEqualTo("coral");
    assertThat(slow.get("speed").asDouble()).isEqualTo(0.85);
    assertThat(slow.get("instructions").asText()).contains("slowly");
  }

  @Test
  void speechRetriesA429AndFailsOnSilenceAndOnSomethingThatIsNotAudio() {
    wm.stubFor(
        post(urlEqualTo(SPEECH))
            .inScenario("s")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3"))
            .willSetStateTo("ok"));
    wm.stubFor(
        post(urlEqualTo(SPEECH))
            .inScenario("s")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withHeader("Content-Type", "audio/mpeg").withBody(MP3)));
    try (OpenAiNarrator n = narrator().build()) {
      assertThat(n.narrate(SampleStories.story("a"))).hasSize(1);
    }
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));

    wm.resetAll();
    wm.stubFor(
        post(urlEqualTo(SPEECH)).willReturn(aResponse().withFixedDelay(5_000).withBody(MP3)));
    try (OpenAiNarrator n = narrator().timeout(Duration.ofMillis(300)).maxAttempts(1).build()) {
      assertThatThrownBy(() -> n.narrate(SampleStories.story("a")))
          .isInstanceOf(StoryMagicException.ModelUnavailable.class);
    }

    wm.resetAll();
    wm.stubFor(
        post(urlEqualTo(SPEECH))
            .withRequestBody(matchingJsonPath("$.input"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\":true}")));
    try (OpenAiNarrator n = narrator().build()) {
      assertThatThrownBy(() -> n.narrate(SampleStories.story("a")))
          .isInstanceOf(StoryMagicException.ModelFailure.class);
    }
  }
}
