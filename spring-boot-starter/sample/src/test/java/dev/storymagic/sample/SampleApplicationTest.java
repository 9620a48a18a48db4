package dev.storymagic.sample;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.StoryMagic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample application on a real port, with the starter and three properties pointing StoryMagic
 * at a stand-in for an OpenAI-compatible provider: a story streamed over server-sent events, a story
 * as JSON, Actuator health and metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TITLE = "Mia and the Sleepy Comet";
  // Long enough for the 6-8 short band's hard floor (half of 150 words): a shorter answer is an
  // unusable story that the pipeline regenerates and then refuses.
  private static final List<String> PARAGRAPHS = List.of(
      "Mia looked up at the night sky from her window. A small comet yawned and blinked at her, and its"
          + " silver tail curled like a sleepy cat.",
      "The comet was tired of flying all night long. Mia climbed onto the roof with her telescope and a"
          + " flashlight, and she gave it a soft blanket made of clouds.",
      "They talked about the moon, the planets and the quiet places between the stars. Mia told the comet"
          + " about her school, and the comet told her about the long road around the sun.",
      "They shared warm cocoa and counted the stars together. Soon the comet smiled and slept, glowing"
          + " softly like a night light, and Mia went to bed happy.");
  private static final WireMockServer PROVIDER = startProvider();

  @LocalServerPort
  int port;

  @Autowired
  StoryMagic magic;

  @DynamicPropertySource
  static void threeProperties(DynamicPropertyRegistry registry) {
    registry.add("storymagic.model.provider", () -> "openai");
    registry.add("storymagic.model.api-key", () -> "sk-sample-0123456789");
    registry.add("storymagic.model.base-url", () -> PROVIDER.baseUrl() + "/v1");
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.stop();
  }

  @Test
  void streamsAStoryOverServerSentEvents() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/stories/stream?theme=space&age=6-8&character=Mia:a%20curious%20girl&length=short"))
        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));

    List<String[]> events = readEvents(response.body());
    List<String> names = events.stream().map(e -> e[0]).toList();
    assertThat(names).last().isEqualTo("story");
    assertThat(names.subList(0, names.size() - 1)).isNotEmpty().containsOnly("text");
    String streamed = String.join(" ", events.stream().filter(e -> e[0].equals("text")).map(e -> e[1]).toList());
    assertThat(streamed).contains("A small comet yawned").contains("counted the stars together");
    JsonNode story = JSON.readTree(events.get(events.size() - 1)[1]);
    assertThat(story.get("title").asText()).isEqualTo(TITLE);
    assertThat(story.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18"); // as the provider reports it
    PROVIDER.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
    PROVIDER.verify(postRequestedFor(urlEqualTo("/v1/moderations")));
  }

  @Test
  void answersAStoryAsJsonAndABadRequestWithEveryFieldError() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/stories?theme=space&age=3-5&character=Mia")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("title").asText()).isEqualTo(TITLE);

    HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/stories?theme=volcano&age=13-15")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"theme\"").contains("\"age\"");
  }

  @Test
  void theStarterWiredTheProviderAndActuatorSeesStoryMagic() throws Exception {
    assertThat(magic.health().get("model").detail()).contains("gpt-4o-mini");
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode storyMagic = JSON.readTree(health.body()).path("components").path("storyMagic");
    assertThat(storyMagic.path("status").asText()).isEqualTo("UP");
    assertThat(storyMagic.path("details").path("model").path("status").asText()).isEqualTo("up");

    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stories?theme=space")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> metric = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/actuator/metrics/story_generation_time")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metric.statusCode()).isEqualTo(200);
    assertThat(metric.body()).contains("\"COUNT\"");
  }

  /** Reads {@code event:}/{@code data:} blocks until the stream ends: {name, data} per event. */
  private static List<String[]> readEvents(java.io.InputStream body) throws Exception {
    List<String[]> events = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new String[] {name, data.toString()});
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5));
        }
      }
      if (data.length() > 0) {
        events.add(new String[] {name, data.toString()});
      }
    }
    return events;
  }

  private static WireMockServer startProvider() {
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    server.stubFor(get(urlEqualTo("/v1/models"))
        .willReturn(okJson("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}")));
    server.stubFor(post(urlEqualTo("/v1/moderations")).willReturn(okJson(moderation())));
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
        .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(streamed())));
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2).willReturn(okJson(completion())));
    return server;
  }

  private static String moderation() {
    ObjectNode root = JSON.createObjectNode().put("id", "modr-1").put("model", "omni-moderation-latest");
    ObjectNode result = root.putArray("results").addObject().put("flagged", false);
    ObjectNode categories = result.putObject("categories");
    ObjectNode scores = result.putObject("category_scores");
    for (String label : List.of("sexual", "harassment", "hate", "illicit", "self-harm", "violence")) {
      categories.put(label, false);
      scores.put(label, 0.001);
    }
    return root.toString();
  }

  private static ObjectNode envelope(String object) {
    return JSON.createObjectNode().put("id", "chatcmpl-sample").put("object", object)
        .put("created", 1_700_000_000L).put("model", "gpt-4o-mini-2024-07-18");
  }

  private static String completion() {
    ObjectNode story = JSON.createObjectNode().put("title", TITLE);
    PARAGRAPHS.forEach(story.putArray("paragraphs")::add);
    ObjectNode root = envelope("chat.completion");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", story.toString());
    root.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 85).put("total_tokens", 205);
    return root.toString();
  }

  /** The story in the plain layout (title, blank line, paragraphs), cut in small deltas as a provider streams it. */
  private static String streamed() {
    String text = TITLE + "\n\n" + String.join("\n\n", PARAGRAPHS);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i += 9) {
      ObjectNode chunk = envelope("chat.completion.chunk");
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.putObject("delta").put("content", text.substring(i, Math.min(text.length(), i + 9)));
      choice.putNull("finish_reason");
      out.append("data: ").append(chunk).append("\n\n");
    }
    ObjectNode end = envelope("chat.completion.chunk");
    end.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
    out.append("data: ").append(end).append("\n\n");
    ObjectNode usage = envelope("chat.completion.chunk");
    usage.putArray("choices");
    usage.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 85).put("total_tokens", 205);
    out.append("data: ").append(usage).append("\n\ndata: [DONE]\n\n");
    return out.toString();
  }
}
