package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The server on a random port, attacked as an outsider or a signed-in user would: slow bodies,
 * broken framing, odd tokens and media types, and a key endpoint that hangs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningIT {
  static final String KEYS_PATH = "/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";
  static final int BODY_TIMEOUT_SECONDS = 5;
  static final int PER_USER = 8;
  WireMockServer google;
  TestKeys keys;
  StoryMagicServer server;
  Http http;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  void start() throws Exception {
    keys = TestKeys.generate("key-1");
    google = new WireMockServer(wireMockConfig().dynamicPort());
    google.start();
    google.stubFor(
        get(KEYS_PATH)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json; charset=UTF-8")
                    .withHeader("Cache-Control", "public, max-age=19000")
                    .withBody(Http.JSON.writeValueAsString(Map.of(keys.kid, keys.pem())))));
    server =
        StoryMagicServer.start(
            ServerConfig.fromEnvironment(env(google.baseUrl() + KEYS_PATH)), line -> {});
    http = new Http(server.port());
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  static Map<String, String> env(String keysUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("FIREBASE_PROJECT_ID", TestKeys.PROJECT);
    env.put("FIREBASE_KEYS_URL", keysUrl);
    env.put("OFFLINE_STREAM_PACE_MS", "0");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("EMF_ENABLED", "false");
    env.put("BODY_READ_TIMEOUT_SECONDS", Integer.toString(BODY_TIMEOUT_SECONDS));
    env.put("MAX_IN_FLIGHT_PER_USER", Integer.toString(PER_USER));
    return env;
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (server != null) {
      server.close();
    }
    if (google != null) {
      google.stop();
    }
  }

  @BeforeEach
  void clearLogs() {
    synchronized (logs) {
      logs.list.clear();
    }
  }

  List<ILoggingEvent> logged(Level atLeast) {
    synchronized (logs) {
      return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast)).toList();
    }
  }

  static String request(String theme) {
    return "{\"theme\":\""
        + theme
        + "\",\"ageGroup\":\"6-8\",\"characters\":[{\"name\":\"Mia\",\"description\":\"a curious girl\"}],"
        + "\"length\":\"short\"}";
  }

  String postHead(String token, String contentLength) {
    return "POST /api/stories HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\n"
        + "Content-Type: application/json\r\n"
        + contentLength
        + "\r\n";
  }

  // ------------------------------------------------------------------ defect 1: slow bodies

  @Test
  void halfSentBodiesCannotPinTheServer() throws Exception {
    int connections = 250;
    List<String> attackers = List.of("slow-1", "slow-2", "slow-3", "slow-4", "slow-5");
    String body = request("space");
    List<RawHttp> sockets = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(32);
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    try {
      for (int i = 0; i < connections; i++) {
        RawHttp s = new RawHttp(server.port(), 30_000);
        s.write(
            postHead(
                    keys.token(attackers.get(i % attackers.size())),
                    "Content-Length: " + body.length() + "\r\n")
                + body.substring(0, body.length() / 2));
        sockets.add(s);
      }
      for (RawHttp s : sockets) {
        readers.execute(
            () -> {
              Optional<Integer> status = s.status();
              statuses.merge(status.orElse(0), 1, Integer::sum);
              answered.incrementAndGet();
              if (status.orElse(0) == 429) {
                refused.incrementAndGet();
              }
            });
      }
      // While the bodies hang, liveness answers at once, again and again.
      Http quick = new Http(server.port());
      for (int probe = 0; probe < 6; probe++) {
        long start = System.nanoTime();
        Http.Response live = quick.send("GET", "/health/live", null, null);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(live.status()).isEqualTo(200);
        assertThat(millis)
            .as("/health/live answered in %d ms under attack", millis)
            .isLessThan(3_000);
        await().pollDelay(Duration.ofMillis(250)).until(() -> true);
      }
      // Each user holds at most PER_USER requests at a time, each for at most the body read timeout
      // (408); the others are refused (429) without waiting for their bodies.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(answered.get()).isEqualTo(connections));
      assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(408, 429);
      assertThat(refused.get()).as("statuses %s", statuses).isGreaterThanOrEqualTo(connections / 3);
    } finally {
      sockets.forEach(RawHttp::close);
      readers.shutdownNow();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Http.Response created =
                  http.post("/api/stories", keys.token("slow-1"), request("ocean"));
              assertThat(created.status()).as(created.body()).isEqualTo(201);
            });
    assertThat(logged(Level.ERROR)).isEmpty();
  }

  // ------------------------------------------------------------------ defect 3: outsider-triggered
  // 500s

  @Test
  void nullHeaderSegmentIsUnauthorized() {
    Http.Response r = http.get("/api/stories", "bnVsbA.e30.c2ln");
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.errorCode()).isEqualTo("unauthorized");
    assertThat(logged(Level.ERROR)).isEmpty();
  }

  @Test
  void brokenBodiesAreClientErrors() {
    String token = keys.token("framing");
    String body = request("space");
    Map<String, String> attacks = new java.util.LinkedHashMap<>();
    attacks.put(
        "bad chunk size",
        postHead(token, "Transfer-Encoding: chunked\r\n") + "zz\r\n" + body + "\r\n0\r\n\r\n");
    attacks.put(
        "LF-only chunk framing",
        postHead(token, "Transfer-Encoding: chunked\r\n")
            + Integer.toHexString(body.length())
            + "\n"
            + body
            + "\n0\n\n");
    attacks.put(
        "missing final chunk",
        postHead(token, "Transfer-Encoding: chunked\r\n")
            + Integer.toHexString(body.length())
            + "\r\n"
            + body
            + "\r\n");
    attacks.put(
        "cut-short chunk",
        postHead(token, "Transfer-Encoding: chunked\r\n")
            + Integer.toHexString(body.length())
            + "\r\n"
            + body.substring(0, 10));
    attacks.put(
        "Content-Length larger than the body",
        postHead(token, "Content-Length: " + (body.length() + 100) + "\r\n") + body);
    Map<String, Optional<Integer>> statuses = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> attack : attacks.entrySet()) {
      try (RawHttp s = new RawHttp(server.port(), 15_000)) {
        statuses.put(attack.getKey(), s.write(attack.getValue()).endOutput().status());
      }
    }
    assertThat(statuses)
        .allSatisfy(
            (name, status) ->
                assertThat(status)
                    .as(name)
                    .hasValueSatisfying(code -> assertThat(code).isBetween(400, 499)));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              String metrics = http.get("/metrics", null).body();
              assertThat(metrics)
                  .contains(
                      "api_response_time_seconds_count{endpoint=\"/api/stories\",method=\"POST\",status=\"400\"}");
              assertThat(metrics)
                  .doesNotContainPattern(
                      "api_response_time_seconds_count\\{[^}]*status=\"5\\d\\d\"");
            });
    assertThat(logged(Level.ERROR)).isEmpty();
    assertThat(logged(Level.WARN)).hasSizeLessThanOrEqualTo(attacks.size());
  }

  // ------------------------------------------------------------------ defect 5: smaller holes

  @Test
  void headOfAMissingStoryIsNotFound() {
    String token = keys.token("head-user");
    Http.Response head = http.send("HEAD", "/api/stories/" + UUID.randomUUID(), token, null);
    assertThat(head.status()).isEqualTo(404);
    String id = http.post("/api/stories", token, request("forest")).json().get("id").asText();
    assertThat(http.send("HEAD", "/api/stories/" + id, token, null).status()).isEqualTo(200);
    assertThat(http.send("HEAD", "/api/stories/" + id, keys.token("someone-else"), null).status())
        .isEqualTo(404);
  }

  @Test
  void onlyJsonIsAccepted() {
    String token = keys.token("media-user");
    Http.Response prefix =
        http.post("/api/stories", token, request("space"), "Content-Type", "application/jsonx");
    assertThat(prefix.status()).as(prefix.body()).isEqualTo(415);
    Http.Response charset =
        http.post(
            "/api/stories",
            token,
            request("space"),
            "Content-Type",
            "application/json; charset=utf-8");
    assertThat(charset.status()).as(charset.body()).isEqualTo(201);
    Http.Response upper =
        http.post("/api/stories", token, request("space"), "Content-Type", "Application/JSON");
    assertThat(upper.status()).as(upper.body()).isEqualTo(201);
  }

  @Test
  void subjectMustMatchUserIdAndBePrintable() {
    Http.Response mismatch =
        http.post(
            "/api/stories", keys.token("alice", b -> b.claim("user_id", "bob")), request("space"));
    assertThat(mismatch.status()).as(mismatch.body()).isEqualTo(401);
    Http.Response nul = http.post("/api/stories", keys.token("carol\u0000x"), request("space"));
    assertThat(nul.status()).as(nul.body()).isEqualTo(401);
    Http.Response control = http.get("/api/stories", keys.token("dave\nx"));
    assertThat(control.status()).as(control.body()).isEqualTo(401);
    assertThat(logged(Level.ERROR)).isEmpty();
  }

  @Test
  void cacheTierIsNotRevealedToAnotherUser() {
    String body = request("dinosaurs").replace("Mia", "Tova");
    JsonNode first = http.post("/api/stories", keys.token("first-asker"), body).json();
    JsonNode second = http.post("/api/stories", keys.token("second-asker"), body).json();
    assertThat(first.has("id")).isTrue();
    assertThat(second.has("id")).isTrue();
    assertThat(second.has("cacheTier")).as(second.toString()).isFalse();
    assertThat(second.toString()).doesNotContain("\"l1\"").doesNotContain("\"l2\"");
  }

  // ------------------------------------------------------------------ defect 4: hanging key
  // endpoint

  @Test
  void hangingKeyEndpointAnswers503QuicklyWithOneFetch() throws Exception {
    WireMockServer hanging =
        new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
    hanging.start();
    hanging.stubFor(
        get(KEYS_PATH)
            .willReturn(
                aResponse()
                    .withFixedDelay(30_000)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{}")));
    StoryMagicServer cold =
        StoryMagicServer.start(
            ServerConfig.fromEnvironment(env(hanging.baseUrl() + KEYS_PATH)), line -> {});
    ExecutorService clients = Executors.newFixedThreadPool(10);
    try {
      Http coldHttp = new Http(cold.port());
      List<Callable<Http.Response>> signIns = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String token = keys.token("cold-" + i);
        signIns.add(() -> coldHttp.get("/api/stories", token));
      }
      long start = System.nanoTime();
      List<Future<Http.Response>> answers = clients.invokeAll(signIns, 20, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      for (Future<Http.Response> f : answers) {
        assertThat(f.isCancelled()).as("a sign-in was still waiting after 20 s").isFalse();
        Http.Response r = f.get();
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.errorCode()).isEqualTo("auth_unavailable");
        assertThat(r.header("Retry-After")).isNotNull();
      }
      assertThat(millis)
          .as("10 concurrent sign-ins against a hanging key endpoint took %d ms", millis)
          .isLessThan(8_000);
      // One fetch at a time for everyone (a second only if the first timed out during the test).
      assertThat(
              hanging
                  .countRequestsMatching(getRequestedFor(urlEqualTo(KEYS_PATH)).build())
                  .getCount())
          .isBetween(1, 2);
    } finally {
      clients.shutdownNow();
      cold.close();
      hanging.stop();
    }
  }
}
