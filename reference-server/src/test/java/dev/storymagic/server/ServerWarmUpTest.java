package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.testing.openai.ChatCompletionsStub;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The start-up warm-up: through the server's own code, and nothing of it left behind. */
class ServerWarmUpTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ServerConfig config(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "OFFLINE_STREAM_PACE_MS", "0"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return ServerConfig.fromEnvironment(env);
  }

  @Test
  void aWarmUpWithAModelProviderNeverCallsIt() {
    try (ChatCompletionsStub provider = ChatCompletionsStub.start()) {
      ServerConfig config =
          config(
              "OPENAI_API_KEY",
              "sk-test",
              "OPENAI_BASE_URL",
              provider.baseUrl(),
              "OPENAI_MODERATION",
              "true",
              "SAFETY_LAYERED",
              "false",
              "WARM_UP_REQUESTS",
              "40");

      ServerWarmUp.Outcome outcome = ServerWarmUp.run(config, () -> false);

      assertThat(outcome.sent()).isEqualTo(40);
      // Every request created a story (the model client and moderation answered by the stand-in),
      // and every eighth read its story back.
      assertThat(outcome.statuses()).containsExactlyInAnyOrderEntriesOf(Map.of(201, 40, 200, 5));
      assertThat(provider.server().getAllServeEvents())
          .as("calls that reached the configured provider")
          .isEmpty();
    }
  }

  @Test
  void aServerThatWarmedUpKeepsNoneOfItsStoriesAndLogsAsItDidBefore() {
    ch.qos.logback.classic.Logger ours =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.storymagic");
    ch.qos.logback.classic.Level before = ours.getLevel();
    try (StoryMagicServer server =
        StoryMagicServer.start(config("WARM_UP_REQUESTS", "24"), line -> {})) {
      Http http = new Http(server.port());
      Http.Response list = http.get("/api/stories", null);
      assertThat(list.status()).as(list.body()).isEqualTo(200);
      assertThat(list.json().get("stories")).as("the warm-up's stories").isEmpty();
      assertThat(http.post("/api/stories", null, EmbeddedServerTest.STORY).status()).isEqualTo(201);
      Http.Response after = http.get("/api/stories", null);
      assertThat(after.json().get("stories")).as(after.body()).hasSize(1);
    }
    assertThat(ours.getLevel()).as("the log level held back during the warm-up").isEqualTo(before);
  }

  @Test
  void theStandInProviderAnswersTheWarmUpsKeyOnly() throws Exception {
    ServerConfig config =
        config("OPENAI_API_KEY", "sk-real", "OPENAI_BASE_URL", "https://api.openai.com/v1");
    Javalin provider = ServerWarmUp.StandInProvider.start(config, "sk-warm-up-key", Duration.ZERO);
    try {
      URI chat = URI.create("http://127.0.0.1:" + provider.port() + "/v1/chat/completions");
      assertThat(chat(chat, "sk-real").statusCode()).isEqualTo(401);

      HttpResponse<String> answered = chat(chat, "sk-warm-up-key");
      assertThat(answered.statusCode()).isEqualTo(200);
      JsonNode completion = JSON.readTree(answered.body());
      assertThat(completion.path("model").asText()).isEqualTo("gpt-4o-mini");
      JsonNode story =
          JSON.readTree(
              completion.path("choices").path(0).path("message").path("content").asText());
      assertThat(story.path("title").asText()).isNotBlank();
      assertThat(story.path("paragraphs")).hasSize(6);
    } finally {
      provider.stop();
    }
  }

  @Test
  void theStandInProviderAnswersAfterTheLatencyItIsGiven() throws Exception {
    ServerConfig config =
        config("OPENAI_API_KEY", "sk-real", "OPENAI_BASE_URL", "https://api.openai.com/v1");
    Javalin provider =
        ServerWarmUp.StandInProvider.start(config, "sk-warm-up-key", Duration.ofMillis(300));
    try {
      URI chat = URI.create("http://127.0.0.1:" + provider.port() + "/v1/chat/completions");
      long start = System.nanoTime();
      HttpResponse<String> answered = chat(chat, "sk-warm-up-key");
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(JSON.readTree(answered.body()).path("object").asText())
          .isEqualTo("chat.completion");
      assertThat(chat(chat, "sk-real").statusCode()).as("the key is checked first").isEqualTo(401);
    } finally {
      provider.stop();
    }
  }

  @Test
  void aTrainingRunSendsItsBurstsThroughAPrivateCopyAndKeepsToItself() {
    ServerConfig config =
        config(
            "OPENAI_API_KEY",
            "sk-real",
            "OPENAI_BASE_URL",
            "http://127.0.0.1:9/v1",
            "OPENAI_MODERATION",
            "true",
            // A server this size takes 2 x 1 + 256 requests at once and refuses the rest; the
            // copy is sized for the burst instead, so that every request trains the generation.
            "MODEL_MAX_CONCURRENCY",
            "1");
    ServerWarmUp.Outcome outcome =
        ServerWarmUp.train(
            config, new ServerWarmUp.Training(2, 300, Duration.ofMillis(200)), () -> false);
    // No answer would have come from the configured provider: nothing listens on port 9.
    assertThat(outcome.sent()).isEqualTo(600);
    assertThat(outcome.allAnswered()).as("answers by status %s", outcome.statuses()).isTrue();
    assertThat(outcome.statuses().keySet()).contains(201);
  }

  @Test
  void aTrainingRunNeedsAtLeastOneBurst() {
    assertThatThrownBy(() -> new ServerWarmUp.Training(0, 1_000, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServerWarmUp.Training(1, 1_000, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A chat completion call to {@code chat} with {@code key} as the bearer token. */
  static HttpResponse<String> chat(URI chat, String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(chat)
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
