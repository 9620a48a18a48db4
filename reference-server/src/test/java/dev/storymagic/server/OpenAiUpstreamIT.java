package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The server with WireMock as the OpenAI API: provider answers and outages mapped to HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiUpstreamIT {
  WireMockServer openAi;
  StoryMagicServer server;
  Http http;

  @BeforeAll
  void start() {
    openAi = new WireMockServer(wireMockConfig().dynamicPort());
    openAi.start();
    server =
        StoryMagicServer.start(
            OpenAiStub.serverConfig(
                openAi,
                "OPENAI_MODERATION",
                "true",
                "MODEL_TIMEOUT_SECONDS",
                "2",
                "RATE_LIMIT_PER_MINUTE",
                "0"),
            line -> {});
    http = new Http(server.port());
  }

  @BeforeEach
  void reset() {
    openAi.resetAll();
    openAi.stubFor(OpenAiStub.moderations().willReturn(OpenAiStub.moderation()));
  }

  @AfterAll
  void stop() {
    server.close();
    openAi.stop();
  }

  static String request(String theme) {
    return "{\"theme\":\""
        + theme
        + "\",\"characters\":[{\"name\":\"Mia\",\"description\":\"a curious girl\"}],\"fresh\":true}";
  }

  @Test
  @Order(1)
  void aStoryFromTheProviderIsReturnedWithUsageAndCost() {
    openAi.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion()));
    Http.Response r = http.post("/api/stories", null, request("space"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode story = r.json();
    assertThat(story.get("title").asText()).isEqualTo("Mia and the Quiet Hill");
    assertThat(story.get("model").asText()).contains("gpt-4o-mini");
    assertThat(story.get("usage").get("totalTokens").asLong()).isEqualTo(800);
    assertThat(story.get("estimatedCostUsd").decimalValue()).isPositive();
    openAi.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")));
    openAi.verify(postRequestedFor(urlEqualTo("/v1/moderations")));
  }

  @Test
  @Order(2)
  void aStoryTheModerationEndpointFlagsIsNeverReturned() {
    openAi.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion("Rex")));
    openAi.stubFor(OpenAiStub.moderations().willReturn(OpenAiStub.moderation("violence/graphic")));
    Http.Response r = http.post("/api/stories", null, request("dinosaurs"));
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.errorCode()).isIn("unsafe_output", "unsafe_input");
    assertThat(r.body()).contains("violence/graphic").doesNotContain("Quiet Hill");
    openAi.verify(postRequestedFor(urlEqualTo("/v1/moderations")));
  }

  @Test
  @Order(3)
  void aModelProviderOutageAloneLeavesHealthDegradedWith200() {
    openAi.stubFor(OpenAiStub.models().willReturn(aResponse().withStatus(503)));
    Http.Response r = http.get("/health", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("degraded");
    assertThat(r.json().get("checks").get("model").get("status").asText()).isEqualTo("down");
    assertThat(r.json().get("checks").get("database").get("status").asText()).isEqualTo("up");
  }

  @Test
  @Order(4)
  void providerErrorsAnswer503WithRetryAfter() {
    openAi.stubFor(
        OpenAiStub.chat().willReturn(aResponse().withStatus(500).withBody("{\"error\":{}}")));
    Http.Response r = http.post("/api/stories", null, request("ocean"));
    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.errorCode()).isEqualTo("model_unavailable");
    assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
  }

  @Test
  @Order(5)
  void rejectedCredentialsAnswer502() {
    openAi.stubFor(
        OpenAiStub.chat()
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(
                        "{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\"}}")));
    Http.Response r = http.post("/api/stories", null, request("forest"));
    assertThat(r.status()).as(r.body()).isEqualTo(502);
    assertThat(r.errorCode()).isEqualTo("model_failure");
    assertThat(r.body()).doesNotContain("sk-test");
  }

  @Test
  @Order(6)
  void aProviderSlowerThanTheTimeLimitAnswers504() {
    openAi.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion().withFixedDelay(6_000)));
    Http.Response r = http.post("/api/stories", null, request("pirates"));
    assertThat(r.status()).as(r.body()).isEqualTo(504);
    assertThat(r.errorCode()).isEqualTo("generation_timeout");
  }
}
