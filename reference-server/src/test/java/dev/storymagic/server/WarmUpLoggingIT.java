package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged server, with its production logging, warming up before it listens: the private
 * copy's lines (its start and its warnings, its access lines, its stop) are encoded and dropped, so
 * its output shows one server listening on one port, the warm-up's summary, and then the real
 * server's own access lines.
 */
class WarmUpLoggingIT {
  private static final String ACCESS_LINE = "\"loggerName\":\"dev.storymagic.server.access\"";

  @Test
  void theWarmUpsLinesAreHeldBackAndTheServersOwnAreWritten() throws Exception {
    try (ServerProcess server =
        ServerProcess.startPackaged(
            Map.of(
                "PORT", "0",
                "HOST", "127.0.0.1",
                "RATE_LIMIT_PER_MINUTE", "0",
                "EMF_ENABLED", "false",
                "WARM_UP_REQUESTS", "64"))) {
      int port = server.awaitPort(Duration.ofMinutes(2));

      String output = server.output();
      assertThat(output).contains("warmed up in").contains("64 story requests");
      assertThat(count(output, "StoryMagic listening on port"))
          .as("listening lines in\n%s", output)
          .isEqualTo(1);
      assertThat(count(output, ACCESS_LINE)).as("the copy's access lines").isZero();
      assertThat(count(output, "NO FIREBASE PROJECT CONFIGURED"))
          .as("the development-identity warning, the server's and not its copy's")
          .isEqualTo(1);

      HttpResponse<String> created =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stories"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(HardeningIT.request("space")))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      // The ring's writer looks for lines every 5 ms.
      await().atMost(Duration.ofSeconds(5)).until(() -> count(server.output(), ACCESS_LINE) > 0);
      assertThat(count(server.output(), ACCESS_LINE))
          .as("the server's own access line in\n%s", server.output())
          .isEqualTo(1);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }
}
