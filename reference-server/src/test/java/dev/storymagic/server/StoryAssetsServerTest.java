package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Illustrated stories on embedded defaults: offline pictures in a local folder, served by the
 * server.
 */
class StoryAssetsServerTest {
  static final String STORY =
      "{\"theme\":\"forest\",\"ageGroup\":\"6-8\",\"illustrate\":true,"
          + "\"characters\":[{\"name\":\"Mia\",\"description\":\"a girl in a yellow raincoat\"}]}";

  @TempDir Path assets;
  StoryMagicServer server;
  Http http;

  void start(String... extra) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "PORT",
                "0",
                "OFFLINE_STREAM_PACE_MS",
                "0",
                "ASSETS_DIR",
                assets.toString(),
                "ASSETS_MAX_SCENES",
                "2",
                "SAFETY_LAYERED",
                "false",
                "EMF_ENABLED",
                "false"));
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    server = StoryMagicServer.start(ServerConfig.fromEnvironment(env));
    http = new Http(server.port());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theTextStreamsFirstThenEachPictureFollowsAsAnEventAndIsServedImmutable() throws Exception {
    start();
    Http.Response r = http.post("/api/stories", null, STORY, "Accept", "text/event-stream");
    assertThat(r.status()).isEqualTo(200);
    List<Http.Event> events = Http.events(r.body());
    List<String> names = events.stream().map(Http.Event::name).toList();
    int story = names.indexOf("story");
    assertThat(names.indexOf("text")).as(names.toString()).isBetween(0, story - 1);
    assertThat(names.subList(story + 1, names.size()))
        .as(names.toString())
        .containsExactly("assets-pending", "asset", "asset", "asset", "assets");

    JsonNode cover = Http.JSON.readTree(events.get(story + 2).data()).deepCopy();
    assertThat(cover.get("kind").asText()).isEqualTo("cover");
    String url = cover.get("url").asText();
    assertThat(url).matches("/assets/stories/[0-9a-f]{64}\\.svg");
    assertThat(cover.get("alt").asText()).contains("a child in yellow").doesNotContain("Mia");

    Http.Response svg = http.get(url, null);
    assertThat(svg.status()).isEqualTo(200);
    assertThat(svg.header("Content-Type")).isEqualTo("image/svg+xml");
    assertThat(svg.header("Content-Length"))
        .isEqualTo(
            Integer.toString(svg.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    Http.Response head = http.send("HEAD", url, null, null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(svg.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(svg.body()).startsWith("<svg");
    assertThat(http.send("GET", url, null, null, "If-None-Match", svg.header("ETag")).status())
        .isEqualTo(304);

    String id = Http.JSON.readTree(events.get(story).data()).deepCopy().get("id").asText();
    JsonNode got = http.get("/api/stories/" + id, null).json();
    assertThat(got.get("assets")).hasSize(3);
    assertThat(got.get("assets").get(0).get("url").asText()).isEqualTo(url);
  }

  @Test
  void aPlainRequestAnswersTheTextAtOnceAndThePicturesAppearOnTheStory() {
    start();
    Http.Response r = http.post("/api/stories", null, STORY);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("assetsPending").get(0).asText()).isEqualTo("illustrations");
    String id = r.json().get("id").asText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> http.get("/api/stories/" + id, null).json().get("assets").size() == 3);
  }

  @Test
  void picturesCanBeAddedLaterAndAreListedInTheExportAndGoneAfterErasure() throws Exception {
    start();
    String id = http.post("/api/stories", null, "{\"theme\":\"ocean\"}").json().get("id").asText();
    Http.Response added = http.post("/api/stories/" + id + "/illustrations", null, null);
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    List<String> urls = new ArrayList<>();
    added.json().get("assets").forEach(a -> urls.add(a.get("url").asText()));
    assertThat(urls).hasSize(3);

    JsonNode export = http.get("/api/me/export", null).json();
    assertThat(export.get("assets").findValuesAsText("url")).containsAll(urls);

    Http.Response erased = http.delete("/api/me", null);
    assertThat(erased.json().get("deletedAssetFiles").asInt()).isEqualTo(3);
    for (String url : urls) {
      assertThat(http.get(url, null).status()).isEqualTo(404);
    }
    try (var files = Files.walk(assets.resolve("assets"))) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  @Test
  void badAssetRequestsGetClear4xx() {
    start();
    Http.Response wrongType =
        http.post("/api/stories", null, "{\"theme\":\"space\",\"illustrate\":\"yes\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("error").get("details").findValuesAsText("field"))
        .contains("illustrate");

    Http.Response noVoice =
        http.post("/api/stories", null, "{\"theme\":\"space\",\"narrate\":true}");
    assertThat(noVoice.status()).isEqualTo(409);
    assertThat(noVoice.errorCode()).isEqualTo("narration_unavailable");

    String id = http.post("/api/stories", null, "{\"theme\":\"space\"}").json().get("id").asText();
    assertThat(http.post("/api/stories/" + id + "/narration", null, null).status()).isEqualTo(409);
    assertThat(
            http.post("/api/stories/00000000-0000-0000-0000-000000000000/illustrations", null, null)
                .status())
        .isEqualTo(404);
    assertThat(http.get("/assets/stories/" + "a".repeat(64) + ".svg", null).status())
        .isEqualTo(404);
    assertThat(http.get("/assets/stories/..%2F..%2Fetc%2Fpasswd", null).status()).isEqualTo(404);
  }
}
