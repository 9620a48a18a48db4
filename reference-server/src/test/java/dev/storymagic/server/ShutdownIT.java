package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a real server process while a stream and a plain request wait on a model that will not
 * answer within the shutdown grace: the stream ends with an {@code error} event, the plain request
 * gets 503 + Retry-After, the process exits within grace + 5 s and the log stays quiet.
 */
class ShutdownIT {
  static final int GRACE_SECONDS = 6;

  @Test
  void pastTheGraceStreamsEndWithAnErrorEventAndRequestsGet503() throws Exception {
    WireMockServer openai = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20));
    openai.start();
    openai.stubFor(OpenAiStub.models().willReturn(OpenAiStub.modelsOk()));
    openai.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion().withFixedDelay(90_000)));
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("OPENAI_API_KEY", "sk-test-shutdown");
    env.put("OPENAI_BASE_URL", openai.baseUrl() + "/v1");
    env.put("OPENAI_MODERATION", "false");
    env.put("MODEL_TIMEOUT_SECONDS", "120");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("EMF_ENABLED", "false");
    env.put("SHUTDOWN_GRACE_SECONDS", Integer.toString(GRACE_SECONDS));
    try (ServerProcess server = ServerProcess.start(env)) {
      int port = server.awaitPort(Duration.ofSeconds(60));
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      CompletableFuture<HttpResponse<String>> plain =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stories"))
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(HardeningIT.request("space")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      try (RawHttp stream = new RawHttp(port, 60_000)) {
        String body = HardeningIT.request("ocean");
        stream.write(
            "POST /api/stories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
        // The stream is committed by its first keep-alive comment (after 5 s): from then on only an
        // event can tell the client how it ended.
        String head = stream.readHead();
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("text/event-stream");
        long linesBefore = server.lines();
        long warnBefore = server.warnLines();
        long signalled = System.nanoTime();
        server.terminate();

        String rest = new String(stream.readRemaining(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rest).contains("event: error").contains("shutting_down");
        HttpResponse<String> cut = plain.get(30, TimeUnit.SECONDS);
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(503);
        assertThat(cut.headers().firstValue("Retry-After")).isPresent();
        assertThat(cut.body()).contains("shutting_down");

        assertThat(server.awaitExit(Duration.ofSeconds(GRACE_SECONDS + 5 + 5)))
            .as("exited")
            .isTrue();
        long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertThat(exitedAfter)
            .as("exit %d ms after SIGTERM", exitedAfter)
            .isLessThan((GRACE_SECONDS + 5) * 1_000L);
        assertThat(server.lines() - linesBefore).as(server.output()).isLessThan(60);
        assertThat(server.warnLines() - warnBefore).as(server.output()).isLessThanOrEqualTo(3);
      }
    } finally {
      openai.stop();
    }
  }
}
