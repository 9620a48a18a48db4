package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link EmbeddedServerTest} again, with story requests generated on the thread that
 * serves them (the path production takes on virtual threads, Java 21 and later), plus the shutdown
 * cut of a request waiting there.
 */
class EmbeddedServerOnRequestThreadsTest extends EmbeddedServerTest {
  @Override
  StoryMagicServer launch(ServerConfig config) {
    return StoryMagicServer.start(config, emf::add, () -> true);
  }

  @Test
  void aRequestStillWaitingWhenTheGraceRunsOutIsAnswered503AndTheServerStops() throws Exception {
    WireMockServer openai = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20));
    openai.start();
    try {
      openai.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion().withFixedDelay(60_000)));
      server =
          launch(
              OpenAiStub.serverConfig(
                  openai,
                  "OPENAI_MODERATION",
                  "false",
                  "MODEL_TIMEOUT_SECONDS",
                  "120",
                  "SHUTDOWN_GRACE_SECONDS",
                  "1",
                  "EMF_ENABLED",
                  "false"));
      CompletableFuture<HttpResponse<String>> waiting =
          HttpClient.newHttpClient()
              .sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/api/stories"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(STORY))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      await("the model call")
          .atMost(Duration.ofSeconds(20))
          .until(() -> !openai.getAllServeEvents().isEmpty());

      long closing = System.nanoTime();
      server.close();
      server = null;
      long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

      HttpResponse<String> cut = waiting.get(10, TimeUnit.SECONDS);
      assertThat(cut.statusCode()).as(cut.body()).isEqualTo(503);
      assertThat(cut.headers().firstValue("Retry-After")).isPresent();
      assertThat(cut.body()).contains("shutting_down");
      // The grace (1 s) and the interrupted model call, not the model's 60 s delay.
      assertThat(closedAfterMillis).isLessThan(15_000);
    } finally {
      openai.stop();
    }
  }
}
