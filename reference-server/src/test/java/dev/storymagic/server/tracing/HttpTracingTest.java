package dev.storymagic.server.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.server.ServerConfig;
import dev.storymagic.server.StoryMagicServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server span as the running server makes it: only sampled requests record one, the caller's
 * decision is kept in both header forms, and a dropped trace leaves nothing at the collector.
 */
class HttpTracingTest {
  static final String STORY =
      "{\"theme\":\"space\",\"characters\":[{\"name\":\"Mia\",\"description\":\"loves stars\"}]}";
  private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort());
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private StoryMagicServer server;

  @BeforeEach
  void start() {
    receiver.start();
    receiver.stubFor(post(urlEqualTo(OtlpTraces.PATH)).willReturn(aResponse().withStatus(200)));
    // Ratio 1: a request without a trace header starts a sampled trace, so what is missing below
    // is missing because of the header's decision, not the ratio's.
    server =
        StoryMagicServer.start(
            ServerConfig.fromEnvironment(
                Map.of(
                    "PORT",
                    "0",
                    "HOST",
                    "127.0.0.1",
                    "OFFLINE_STREAM_PACE_MS",
                    "0",
                    "SAFETY_LAYERED",
                    "false",
                    "EMF_ENABLED",
                    "false",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    receiver.baseUrl(),
                    "TRACES_SAMPLER_RATIO",
                    "1")),
            line -> {});
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    receiver.stop();
  }

  @Test
  void onlySampledRequestsRecordAServerSpanAndTheCallersDecisionIsKept() throws Exception {
    String droppedW3c = "0af7651916cd43dd8448eb211c80319c";
    String sampledW3c = "4bf92f3577b34da6a3ce929d0e0e4736";
    String droppedXray = "5759e988bd862e3fe1be46a994272793";
    assertThat(
            send(
                "GET",
                "/api/themes",
                null,
                "traceparent",
                "00-" + droppedW3c + "-b7ad6b7169203331-00"))
        .isEqualTo(200);
    assertThat(
            send(
                "GET",
                "/api/themes",
                null,
                "traceparent",
                "00-" + sampledW3c + "-00f067aa0ba902b7-01"))
        .isEqualTo(200);
    assertThat(
            send(
                "POST",
                "/api/stories",
                STORY,
                "X-Amzn-Trace-Id",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"))
        .isEqualTo(201);
    assertThat(send("GET", "/api/themes", null)).isEqualTo(200);
    server.close(); // exports what is queued
    server = null;

    List<OtlpTraces.Received> spans = OtlpTraces.all(receiver);
    assertThat(spans)
        .noneMatch(s -> s.traceId().equals(droppedW3c) || s.traceId().equals(droppedXray));
    List<OtlpTraces.Received> serverSpans =
        spans.stream()
            .filter(
                s ->
                    s.span().getKind()
                        == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
            .toList();
    assertThat(serverSpans)
        .extracting(OtlpTraces.Received::name)
        .containsExactly("GET /api/themes", "GET /api/themes");
    OtlpTraces.Received continued =
        serverSpans.stream().filter(s -> s.traceId().equals(sampledW3c)).findFirst().orElseThrow();
    assertThat(continued.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(continued.string("http.route")).isEqualTo("/api/themes");
    assertThat(continued.number("http.response.status_code")).isEqualTo(200L);
    OtlpTraces.Received fresh =
        serverSpans.stream().filter(s -> !s.traceId().equals(sampledW3c)).findFirst().orElseThrow();
    assertThat(fresh.parentId()).isEmpty();
  }

  private int send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
