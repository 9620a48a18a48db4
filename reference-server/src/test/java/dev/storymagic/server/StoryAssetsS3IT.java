package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.assets.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A story made against the OpenAI stubs (chat, images, speech, moderation) with STORAGE_BUCKET set:
 * its pictures and recording land in a real S3-compatible server (S3Proxy) with their content type
 * and the one-year cache header, the server serves them the same way, and erasure deletes them.
 */
class StoryAssetsS3IT {
  static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1
  };
  static final byte[] MP3 = {
    'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0
  };

  @TempDir static Path work;
  static S3ProxyServer s3;
  static WireMockServer openAi;
  static StoryMagicServer server;
  static Http http;
  static final String BUCKET = "storymagic-assets-it";

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start(work);
    s3.createBucket(BUCKET);
    openAi = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    openAi.start();
    openAi.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion()));
    openAi.stubFor(OpenAiStub.moderations().willReturn(OpenAiStub.moderation()));
    openAi.stubFor(OpenAiStub.models().willReturn(OpenAiStub.modelsOk()));
    openAi.stubFor(
        post("/v1/images/generations")
            .willReturn(
                okJson(
                    "{\"created\":1,\"data\":[{\"b64_json\":\""
                        + Base64.getEncoder().encodeToString(PNG)
                        + "\"}]}")));
    openAi.stubFor(
        post("/v1/audio/speech")
            .willReturn(aResponse().withHeader("Content-Type", "audio/mpeg").withBody(MP3)));
    // The server takes S3 credentials from the SDK's default chain, which reads these properties.
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "PORT",
                "0",
                "SAFETY_LAYERED",
                "false",
                "EMF_ENABLED",
                "false",
                "OPENAI_API_KEY",
                "sk-test-0123456789",
                "OPENAI_BASE_URL",
                openAi.baseUrl() + "/v1",
                "OPENAI_MODERATION",
                "true",
                "OPENAI_IMAGE_MODEL",
                "gpt-image-1",
                "OPENAI_SPEECH_MODEL",
                "gpt-4o-mini-tts",
                "STORAGE_BUCKET",
                BUCKET));
    env.put("STORAGE_ENDPOINT", s3.endpoint().toString());
    env.put("STORAGE_REGION", S3ProxyServer.REGION);
    env.put("ASSETS_MAX_SCENES", "2");
    server = StoryMagicServer.start(ServerConfig.fromEnvironment(env));
    http = new Http(server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (openAi != null) {
      openAi.stop();
    }
    if (s3 != null) {
      s3.close();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void picturesAndRecordingGoToS3WithTheirHeadersAreServedAndAreErased() throws Exception {
    // The stub answers chat completions as JSON, so the plain (not streamed) call: the text at
    // once,
    // the pictures and the recording after it.
    Http.Response r =
        http.post(
            "/api/stories",
            null,
            "{\"theme\":\"space\",\"illustrate\":true,\"narrate\":true,\"characters\":[{\"name\":\"Mia\",\"description\":\"a girl in a purple coat\"}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("assetsPending")).hasSize(2);
    String id = r.json().get("id").asText();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> http.get("/api/stories/" + id, null).json().get("assets").size() == 4);
    JsonNode all = http.get("/api/stories/" + id, null).json().get("assets");
    assertThat(all).hasSize(4); // cover, two scenes, one recording
    List<String> urls = new ArrayList<>();
    try (S3Client raw = s3.client()) {
      for (JsonNode a : all) {
        String url = a.get("url").asText();
        urls.add(url);
        String expectedType =
            a.get("kind").asText().equals("narration") ? "audio/mpeg" : "image/png";
        assertThat(a.get("contentType").asText()).isEqualTo(expectedType);
        HeadObjectResponse head = raw.headObject(b -> b.bucket(BUCKET).key(url.substring(1)));
        assertThat(head.contentType()).isEqualTo(expectedType);
        assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");

        Http.Response served = http.get(url, null);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).isEqualTo(expectedType);
        assertThat(served.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
      }
      var prompts =
          openAi.findAll(
              com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                  com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                      "/v1/images/generations")));
      assertThat(prompts)
          .isNotEmpty()
          .allSatisfy(
              p -> assertThat(p.getBodyAsString()).contains("purple").doesNotContain("Mia"));

      assertThat(http.get("/api/me/export", null).json().get("assets").findValuesAsText("url"))
          .containsAll(urls);
      Http.Response erased = http.delete("/api/me", null);
      assertThat(erased.status()).isEqualTo(200);
      assertThat(raw.listObjectsV2(b -> b.bucket(BUCKET).prefix("assets/")).contents()).isEmpty();
      for (String url : urls) {
        assertThat(http.get(url, null).status()).isEqualTo(404);
      }
    }
  }
}
