package dev.storymagic.server.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.storymagic.server.TracingConfig;
import dev.storymagic.server.internal.ServerTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP/HTTP exporter against a local receiver: what reaches the collector, and that a dead one
 * costs nothing.
 */
class OtlpExportTest {
  private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort());

  @BeforeEach
  void start() {
    receiver.start();
    receiver.stubFor(
        post(urlEqualTo(OtlpTraces.PATH))
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/x-protobuf")));
  }

  @AfterEach
  void stop() {
    receiver.stop();
  }

  private TracingConfig exportingTo(WireMockServer server, double ratio) {
    return TracingConfig.OFF.exportingTo(URI.create(server.baseUrl() + OtlpTraces.PATH), ratio);
  }

  @Test
  void spansReachTheCollectorAsOtlpProtobufWithXrayTraceIds() {
    long before = Instant.now().getEpochSecond();
    String traceId;
    try (ServerTracing tracing = ServerTracing.create(exportingTo(receiver, 1.0))) {
      Tracer tracer = tracing.openTelemetry().getTracer("test");
      Span root = tracer.spanBuilder("POST /api/stories").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = root.makeCurrent()) {
        tracer.spanBuilder("story.generate").startSpan().end();
      } finally {
        root.end();
      }
      traceId = root.getSpanContext().getTraceId();
    } // close() exports what is queued

    receiver.verify(
        postRequestedFor(urlEqualTo(OtlpTraces.PATH))
            .withHeader("Content-Type", WireMock.equalTo("application/x-protobuf")));
    List<OtlpTraces.Received> spans = OtlpTraces.all(receiver);
    assertThat(spans)
        .extracting(OtlpTraces.Received::name)
        .containsExactlyInAnyOrder("POST /api/stories", "story.generate");
    assertThat(spans)
        .allSatisfy(
            s -> {
              assertThat(s.traceId()).isEqualTo(traceId);
              assertThat(s.serviceName()).isEqualTo("storymagic-api");
            });
    OtlpTraces.Received child =
        spans.stream().filter(s -> s.name().equals("story.generate")).findFirst().orElseThrow();
    OtlpTraces.Received server =
        spans.stream().filter(s -> s.name().startsWith("POST")).findFirst().orElseThrow();
    assertThat(child.parentId()).isEqualTo(server.spanId());
    assertThat(server.span().getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    // X-Ray reads the first 32 bits of a trace id as its start time in epoch seconds.
    long epoch = Long.parseLong(traceId.substring(0, 8), 16);
    assertThat(epoch).isBetween(before, Instant.now().getEpochSecond());
  }

  @Test
  void aCollectorThatNeverAnswersCostsTheExportTimeoutAndNoMore() {
    WireMockServer silent = new WireMockServer(wireMockConfig().dynamicPort());
    silent.start();
    try {
      silent.stubFor(
          post(urlEqualTo(OtlpTraces.PATH))
              .willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
      TracingConfig config =
          new TracingConfig(
              java.util.Optional.of(URI.create(silent.baseUrl() + OtlpTraces.PATH)),
              1.0,
              "storymagic-api",
              Duration.ofMillis(500),
              16);
      long start = System.nanoTime();
      try (ServerTracing tracing = ServerTracing.create(config)) {
        Tracer tracer = tracing.openTelemetry().getTracer("test");
        for (int i = 0; i < 1_000; i++) {
          tracer
              .spanBuilder("span-" + i)
              .startSpan()
              .end(); // the queue holds 16; the rest are dropped
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      // One export in flight at a time, each cut at 500 ms: shutdown is bounded by the timeout, not
      // the collector.
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    } finally {
      silent.stop();
    }
  }

  @Test
  void withoutAnEndpointNothingIsRecordedButTraceIdsExist() {
    try (ServerTracing tracing = ServerTracing.create(TracingConfig.OFF)) {
      Span span = tracing.openTelemetry().getTracer("test").spanBuilder("GET").startSpan();
      assertThat(span.isRecording()).isFalse();
      assertThat(span.getSpanContext().isValid()).isTrue();
      span.end();
    }
    assertThat(receiver.findAll(postRequestedFor(urlEqualTo(OtlpTraces.PATH)))).isEmpty();
  }
}
