package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server on a random port against the local PostgreSQL, with WireMock serving Google's token
 * certificates: sign-in, the story lifecycle, streaming, isolation between users and erasure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerEndToEndIT {
  final String schema = "it_server_" + UUID.randomUUID().toString().substring(0, 8);
  final String redisPrefix = "it-server-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  WireMockServer google;
  TestKeys keys;
  TestKeys forger;
  StoryMagicServer server;
  Http http;

  @BeforeAll
  void start() throws Exception {
    LocalServices.requirePostgres();
    LocalServices.requireRedis();
    keys = TestKeys.generate("key-1");
    forger = TestKeys.generate("key-1");
    google = new WireMockServer(wireMockConfig().dynamicPort());
    google.start();
    google.stubFor(
        get("/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json; charset=UTF-8")
                    .withHeader(
                        "Cache-Control", "public, max-age=19000, must-revalidate, no-transform")
                    .withBody(Http.JSON.writeValueAsString(Map.of(keys.kid, keys.pem())))));
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put(
        "FIREBASE_CONFIG",
        "{\"project_id\":\"" + TestKeys.PROJECT + "\",\"private_key\":\"unused\"}");
    env.put(
        "FIREBASE_KEYS_URL",
        google.baseUrl() + "/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com");
    LocalServices.putDatabase(env, schema);
    LocalServices.putRedis(env, redisPrefix);
    env.put("OFFLINE_STREAM_PACE_MS", "0");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("APP_ENV", "production");
    env.put("CORS_ALLOWED_ORIGINS", "https://app.storymagic.dev");
    server = StoryMagicServer.start(ServerConfig.fromEnvironment(env), line -> {});
    http = new Http(server.port());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (google != null) {
      google.stop();
    }
    LocalServices.clean(schema, redisPrefix);
  }

  static String request(String theme) {
    return "{\"theme\":\""
        + theme
        + "\",\"ageGroup\":\"6-8\",\"characters\":[{\"name\":\"Mia\",\"description\":\"a curious girl\"}],"
        + "\"setting\":\"a lighthouse\",\"moral\":\"sharing\",\"length\":\"short\"}";
  }

  @Test
  void storyLifecycleCreateGetListDelete() {
    String token = keys.token("user-lifecycle");
    Http.Response created = http.post("/api/stories", token, request("space"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode story = created.json();
    String id = story.get("id").asText();
    assertThat(created.header("Location")).isEqualTo("/api/stories/" + id);
    assertThat(story.get("theme").asText()).isEqualTo("space");
    assertThat(story.get("ageGroup").asText()).isEqualTo("6-8");
    assertThat(story.get("paragraphs").size()).isPositive();
    assertThat(story.get("safety").get("allowed").asBoolean()).isTrue();
    assertThat(story.get("quality").has("readingGrade")).isTrue();

    Http.Response fetched = http.get("/api/stories/" + id, token);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.json().get("text").asText()).isEqualTo(story.get("text").asText());

    Http.Response list = http.get("/api/stories?limit=10", token);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("stories").findValuesAsText("id")).contains(id);

    assertThat(http.delete("/api/stories/" + id, token).status()).isEqualTo(204);
    assertThat(http.get("/api/stories/" + id, token).status()).isEqualTo(404);
    assertThat(http.delete("/api/stories/" + id, token).status()).isEqualTo(404);
  }

  @Test
  void listPagesWithACursorNewestFirst() {
    String token = keys.token("user-pages");
    for (String theme : List.of("space", "ocean", "forest")) {
      assertThat(http.post("/api/stories", token, request(theme)).status()).isEqualTo(201);
    }
    JsonNode first = http.get("/api/stories?limit=2", token).json();
    assertThat(first.get("stories").findValuesAsText("theme")).containsExactly("forest", "ocean");
    String cursor = first.get("nextCursor").asText();
    JsonNode second = http.get("/api/stories?limit=2&cursor=" + cursor, token).json();
    assertThat(second.get("stories").findValuesAsText("theme")).containsExactly("space");
    assertThat(second.get("nextCursor").isNull()).isTrue();
    Http.Response badCursor = http.get("/api/stories?cursor=not-a-cursor", token);
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.errorCode()).isEqualTo("invalid_request");
    assertThat(http.get("/api/stories?limit=1000", token).status()).isEqualTo(400);
  }

  @Test
  void streamingSendsTextEventsThenTheStoredStory() {
    String token = keys.token("user-stream");
    String body = "{\"theme\":\"dragons\",\"ageGroup\":\"3-5\",\"fresh\":true}";
    Http.Response r = http.post("/api/stories", token, body, "Accept", "text/event-stream");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/event-stream");
    List<Http.Event> events = Http.events(r.body());
    assertThat(events).isNotEmpty();
    assertThat(events.subList(0, events.size() - 1))
        .allMatch(e -> e.name().equals("text"))
        .isNotEmpty();
    Http.Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("story");
    JsonNode story = Http.JSON.valueToTree(parse(last.data()));
    String streamed =
        events.stream()
            .filter(e -> e.name().equals("text"))
            .map(e -> parse(e.data()).get("text").asText())
            .reduce("", String::concat);
    assertThat(streamed.replaceAll("\\s+", " ").trim())
        .isEqualTo(story.get("text").asText().replaceAll("\\s+", " ").trim());
    assertThat(http.get("/api/stories/" + story.get("id").asText(), token).status()).isEqualTo(200);
  }

  @Test
  void aRepeatedRequestIsServedFromTheSharedCacheAsANewStoryOfTheCaller() {
    String erin = keys.token("erin");
    String frank = keys.token("frank");
    String body = "{\"theme\":\"superheroes\",\"moral\":\"helping others\"}";
    JsonNode first = http.post("/api/stories", erin, body).json();
    double hitsBefore = cacheHits();
    JsonNode second = http.post("/api/stories", frank, body).json();
    // The tier is the operator's to see (metrics, access log); a caller is not told that someone
    // else asked first.
    assertThat(cacheHits()).isGreaterThan(hitsBefore);
    assertThat(second.has("cacheTier")).isFalse();
    assertThat(second.get("id").asText()).isNotEqualTo(first.get("id").asText());
    assertThat(second.get("text").asText()).isEqualTo(first.get("text").asText());
    assertThat(http.get("/api/stories/" + second.get("id").asText(), frank).status())
        .isEqualTo(200);
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", 6379)) {
      assertThat(jedis.keys(redisPrefix + "*")).isNotEmpty();
    }
  }

  double cacheHits() {
    return http.get("/metrics", null)
        .body()
        .lines()
        .filter(l -> l.startsWith("story_cache_requests_total{") && l.contains("result=\"hit\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void sameIdempotencyKeyGivesTheSameStoryOnce() {
    String token = keys.token("user-idem");
    Http.Response first =
        http.post("/api/stories", token, request("pirates"), "Idempotency-Key", "order-42");
    Http.Response retry =
        http.post("/api/stories", token, request("pirates"), "Idempotency-Key", "order-42");
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(http.get("/api/stories", token).json().get("stories").size()).isEqualTo(1);
  }

  @Test
  void anotherUserGets404ForTheFirstUsersStory() {
    String alice = keys.token("alice");
    String bob = keys.token("bob");
    String id = http.post("/api/stories", alice, request("animals")).json().get("id").asText();
    Http.Response peek = http.get("/api/stories/" + id, bob);
    assertThat(peek.status()).isEqualTo(404);
    assertThat(peek.errorCode()).isEqualTo("not_found");
    assertThat(http.delete("/api/stories/" + id, bob).status()).isEqualTo(404);
    assertThat(http.get("/api/stories", bob).json().get("stories").findValuesAsText("id"))
        .doesNotContain(id);
    assertThat(http.get("/api/stories/" + id, alice).status()).isEqualTo(200);
  }

  @Test
  void exportThenEraseRemovesEverythingOfTheCaller() {
    String carol = keys.token("carol");
    String dave = keys.token("dave");
    String id = http.post("/api/stories", carol, request("bedtime")).json().get("id").asText();
    String davesId = http.post("/api/stories", dave, request("bedtime")).json().get("id").asText();
    Http.Response export = http.get("/api/me/export", carol);
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json().get("owner").asText()).isEqualTo("carol");
    assertThat(export.json().get("stories").findValuesAsText("id")).containsExactly(id);

    Http.Response erase = http.delete("/api/me", carol);
    assertThat(erase.status()).isEqualTo(200);
    assertThat(erase.json().get("deletedStories").asLong()).isEqualTo(1);
    assertThat(http.get("/api/stories/" + id, carol).status()).isEqualTo(404);
    assertThat(http.get("/api/me/export", carol).json().get("stories").size()).isZero();
    assertThat(http.get("/api/stories/" + davesId, dave).status()).isEqualTo(200);
  }

  static Stream<Arguments> rejectedTokens() throws Exception {
    return Stream.of(
        Arguments.of(
            "expired",
            (Function<ServerEndToEndIT, String>)
                t ->
                    t.keys.token(
                        "u",
                        b ->
                            b.issueTime(Date.from(Instant.now().minusSeconds(7200)))
                                .expirationTime(Date.from(Instant.now().minusSeconds(3600))))),
        Arguments.of(
            "wrong audience",
            (Function<ServerEndToEndIT, String>)
                t -> t.keys.token("u", b -> b.audience("other-project"))),
        Arguments.of(
            "wrong issuer",
            (Function<ServerEndToEndIT, String>)
                t ->
                    t.keys.token(
                        "u", b -> b.issuer("https://securetoken.google.com/other-project"))),
        Arguments.of(
            "alg none", (Function<ServerEndToEndIT, String>) t -> TestKeys.unsignedToken("u")),
        Arguments.of(
            "HS256 signed", (Function<ServerEndToEndIT, String>) t -> t.keys.hs256Token("u")),
        Arguments.of(
            "unknown kid",
            (Function<ServerEndToEndIT, String>)
                t -> t.keys.sign("key-unknown", TestKeys.claims("u").build())),
        Arguments.of(
            "signed by another key", (Function<ServerEndToEndIT, String>) t -> t.forger.token("u")),
        Arguments.of(
            "issued in the future",
            (Function<ServerEndToEndIT, String>)
                t ->
                    t.keys.token("u", b -> b.issueTime(Date.from(Instant.now().plusSeconds(600))))),
        Arguments.of(
            "no auth_time",
            (Function<ServerEndToEndIT, String>)
                t -> t.keys.token("u", b -> b.claim("auth_time", null))),
        Arguments.of(
            "empty subject",
            (Function<ServerEndToEndIT, String>) t -> t.keys.token("u", b -> b.subject(""))),
        Arguments.of("garbage", (Function<ServerEndToEndIT, String>) t -> "not.a.token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedTokens")
  void invalidTokensGet401(String name, Function<ServerEndToEndIT, String> token) {
    Http.Response r = http.get("/api/stories", token.apply(this));
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.errorCode()).isEqualTo("unauthorized");
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void missingOrNonBearerAuthorizationGets401() {
    assertThat(http.get("/api/stories", null).status()).isEqualTo(401);
    Http.Response basic =
        http.send("GET", "/api/stories", null, null, "Authorization", "Basic dXNlcjpwYXNz");
    assertThat(basic.status()).isEqualTo(401);
    assertThat(basic.json().get("error").get("message").asText()).contains("Bearer");
  }

  @Test
  void signingKeysAreFetchedOnceAndCachedPerCacheControl() {
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/api/stories", keys.token("cache-user-" + i)).status()).isEqualTo(200);
    }
    // Unknown key ids may trigger at most one early refresh within the minimum refresh interval.
    http.get("/api/stories", keys.sign("rotated-1", TestKeys.claims("u").build()));
    http.get("/api/stories", keys.sign("rotated-2", TestKeys.claims("u").build()));
    assertThat(
            google
                .countRequestsMatching(
                    getRequestedFor(
                            urlEqualTo(
                                "/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"))
                        .build())
                .getCount())
        .isBetween(1, 2);
  }

  @Test
  void deepHealthReportsTheDatabaseAndRedisUp() {
    Http.Response r = http.get("/health", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode checks = r.json().get("checks");
    assertThat(checks.get("database").get("status").asText()).isEqualTo("up");
    assertThat(checks.get("redis").get("status").asText()).isEqualTo("up");
    assertThat(checks.has("memory")).isTrue();
    assertThat(checks.has("cpu")).isTrue();
    assertThat(checks.has("model")).isTrue();
  }

  @Test
  void corsAllowsOnlyTheConfiguredOrigin() {
    Http.Response allowed =
        http.send(
            "OPTIONS",
            "/api/stories",
            null,
            null,
            "Origin",
            "https://app.storymagic.dev",
            "Access-Control-Request-Method",
            "POST");
    assertThat(allowed.status()).isEqualTo(204);
    assertThat(allowed.header("Access-Control-Allow-Origin"))
        .isEqualTo("https://app.storymagic.dev");
    assertThat(allowed.header("Access-Control-Allow-Headers")).contains("Authorization");
    Http.Response denied =
        http.send(
            "OPTIONS",
            "/api/stories",
            null,
            null,
            "Origin",
            "https://evil.example",
            "Access-Control-Request-Method",
            "POST");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.header("Access-Control-Allow-Origin")).isNull();
  }

  private static JsonNode parse(String json) {
    try {
      return Http.JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(json, e);
    }
  }
}
