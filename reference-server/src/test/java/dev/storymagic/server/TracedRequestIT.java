package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One request through the running server (a real process, its production JSON logging, PostgreSQL
 * and Redis on this machine) yields one complete trace at an OTLP/HTTP receiver, its trace id is in
 * the request's log lines, and the database and pool metrics are at {@code /metrics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracedRequestIT {
  static final String ALB_ROOT =
      "1-"
          + Long.toHexString(System.currentTimeMillis() / 1000)
          + "-"
          + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  final String schema = "traced_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  final String prefix = "traced-" + UUID.randomUUID() + ":";
  final WireMockServer collector = new WireMockServer(wireMockConfig().dynamicPort());
  ServerProcess server;
  Http http;

  @BeforeAll
  void start() throws Exception {
    LocalServices.requirePostgres();
    collector.start();
    collector.stubFor(post(urlEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)));
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    LocalServices.putDatabase(env, schema);
    LocalServices.putRedis(env, prefix);
    env.put("SAFETY_LAYERED", "false");
    env.put("OFFLINE_STREAM_PACE_MS", "0");
    env.put("EMF_ENABLED", "false");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl());
    env.put("TRACES_SAMPLER_RATIO", "1");
    // The production logging (one JSON object per line), not the test classpath's.
    Path logback = Path.of("src/main/resources/logback.xml").toAbsolutePath();
    env.put("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=" + logback);
    server = ServerProcess.start(env);
    http = new Http(server.awaitPort(Duration.ofSeconds(90)));
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    collector.stop();
    LocalServices.clean(schema, prefix);
  }

  record Received(Span span) {
    String name() {
      return span.getName();
    }

    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String id() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parent() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    Optional<String> string(String key) {
      return span.getAttributesList().stream()
          .filter(kv -> kv.getKey().equals(key))
          .map(kv -> kv.getValue().getStringValue())
          .findFirst();
    }
  }

  List<Received> received() {
    List<Received> spans = new ArrayList<>();
    collector
        .findAll(
            com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlEqualTo("/v1/traces")))
        .forEach(
            request -> {
              try {
                for (ResourceSpans r :
                    ExportTraceServiceRequest.parseFrom(request.getBody()).getResourceSpansList()) {
                  for (ScopeSpans s : r.getScopeSpansList()) {
                    s.getSpansList().forEach(span -> spans.add(new Received(span)));
                  }
                }
              } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            });
    return spans;
  }

  @Test
  void oneRequestIsOneCompleteTraceWhoseIdIsInItsLogLines() throws Exception {
    String traceId = ALB_ROOT.substring(2, 10) + ALB_ROOT.substring(11);
    String body =
        "{\"theme\":\"space\",\"ageGroup\":\"6-8\",\"characters\":[{\"name\":\"Zephyrine\","
            + "\"description\":\"a girl who collects moon pebbles\"}]}";
    Http.Response created =
        http.post("/api/stories", null, body, "X-Amzn-Trace-Id", "Root=" + ALB_ROOT);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String storyText = created.json().path("text").asText(created.json().toString());

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                received().stream()
                    .anyMatch(
                        s -> s.name().equals("POST /api/stories") && s.traceId().equals(traceId)));
    Map<String, List<Received>> byName =
        received().stream()
            .filter(s -> s.traceId().equals(traceId))
            .collect(Collectors.groupingBy(Received::name));
    Received server = byName.get("POST /api/stories").get(0);
    assertThat(server.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.string("http.route")).contains("/api/stories");
    Received generate = one(byName, "story.generate");
    assertThat(generate.parent()).isEqualTo(server.id());
    for (String stage :
        List.of(
            "story.input_safety",
            "story.model.attempt",
            "story.output_safety",
            "story.store.save")) {
      assertThat(one(byName, stage).parent()).as(stage).isEqualTo(generate.id());
    }
    // L1, then L2; with Redis the generation lock's holder looks at L2 once more before generating.
    assertThat(byName.get("story.cache.get"))
        .extracting(s -> s.string("storymagic.cache.tier").orElse(""))
        .contains("l1", "l2")
        .containsOnlyOnce("l1");
    assertThat(one(byName, "story.single_flight.lock").parent()).isEqualTo(generate.id());
    List<String> l2 =
        byName.get("story.cache.get").stream()
            .filter(s -> s.string("storymagic.cache.tier").orElse("").equals("l2"))
            .map(Received::id)
            .toList();
    // Redis under each L2 lookup, PostgreSQL under the store.
    assertThat(byName.get("cache.get"))
        .hasSameSizeAs(l2)
        .allSatisfy(
            get -> {
              assertThat(l2).contains(get.parent());
              assertThat(get.string("db.system.name")).contains("redis");
              assertThat(get.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            });
    Received insert = one(byName, "story.insert");
    assertThat(insert.parent()).isEqualTo(one(byName, "story.store.save").id());
    assertThat(insert.string("db.system.name")).contains("postgresql");
    assertThat(insert.string("db.operation.name")).contains("INSERT");
    // No child's text anywhere in the trace.
    for (List<Received> spans : byName.values()) {
      for (Received s : spans) {
        for (KeyValue kv : s.span().getAttributesList()) {
          String value = kv.getValue().toString();
          assertThat(value)
              .as(s.name() + " " + kv.getKey())
              .doesNotContain("Zephyrine")
              .doesNotContain("moon pebbles");
          if (storyText.length() > 40) {
            assertThat(value).doesNotContain(storyText.substring(0, 40));
          }
        }
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> accessLine(traceId).isPresent());
    JsonNode access = Http.JSON.readTree(accessLine(traceId).get());
    assertThat(access.path("mdc").path("trace_id").asText()).isEqualTo(traceId);
    assertThat(access.path("mdc").path("xray_trace_id").asText()).isEqualTo(ALB_ROOT);
    assertThat(access.path("mdc").path("span_id").asText()).matches("[0-9a-f]{16}");
  }

  @Test
  void databaseAndPoolMetricsAreAtMetrics() {
    http.post("/api/stories", null, "{\"theme\":\"ocean\",\"ageGroup\":\"3-5\"}");
    String metrics = http.get("/metrics", null).body();
    assertThat(metrics)
        .contains("db_client_operation_duration_seconds{")
        .contains("statement=\"story.insert\"")
        .contains("db_system_name=\"postgresql\"")
        .contains("db_system_name=\"redis\"")
        .contains("quantile=\"0.99\"")
        .contains("db_client_rows_total{")
        .contains("hikaricp_connections_pending{")
        .contains("hikaricp_connections_active{")
        .contains("hikaricp_connections_idle{")
        .contains("hikaricp_connections_timeout_total{");
  }

  private Optional<String> accessLine(String traceId) {
    return server
        .output()
        .lines()
        .filter(
            l ->
                l.startsWith("{")
                    && l.contains("dev.storymagic.server.access")
                    && l.contains(traceId))
        .findFirst();
  }

  private static Received one(Map<String, List<Received>> byName, String name) {
    assertThat(byName.get(name)).as(name + " in " + byName.keySet()).hasSize(1);
    return byName.get(name).get(0);
  }
}
