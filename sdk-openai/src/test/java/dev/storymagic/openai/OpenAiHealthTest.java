package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.ComponentHealth;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiHealthTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  @Test
  void health_listsModelsOnceAndCachesTheAnswer() {
    stub.server.stubFor(
        get(urlEqualTo("/v1/models")).willReturn(okJson("{\"object\":\"list\",\"data\":[]}")));

    try (OpenAiStoryModel model = stub.model().build()) {
      assertThat(model.health().status()).isEqualTo(ComponentHealth.Status.UP);
      assertThat(model.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    assertThat(stub.server.findAll(getRequestedFor(urlEqualTo("/v1/models"))))
        .singleElement()
        .satisfies(
            r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer sk-test-0123456789"));
  }

  @Test
  void health_rejectedCredentials_isDownWithoutTheKey() {
    stub.server.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(401)));

    try (OpenAiStoryModel model = stub.model().build()) {
      ComponentHealth health = model.health();
      assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
      assertThat(health.detail()).contains("rejected the credentials").doesNotContain("sk-test");
    }
  }

  @Test
  void health_slowServer_isDownWithinTheHealthTimeout() {
    stub.server.stubFor(
        get(urlEqualTo("/v1/models")).willReturn(okJson("{}").withFixedDelay(5000)));

    try (OpenAiStoryModel model = stub.model().build()) {
      long start = System.nanoTime();
      ComponentHealth health = model.health();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
    }
  }

  @Test
  void health_unreachableServer_isDownAndDoesNotThrow() {
    try (OpenAiStoryModel model =
        OpenAiStoryModel.builder().baseUrl("http://127.0.0.1:9/v1").build()) {
      ComponentHealth health = model.health();
      assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
      assertThat(health.detail()).contains("unreachable");
    }
  }
}
