package dev.storymagic.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.server.TracingConfig;
import dev.storymagic.server.internal.ServerTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Parent-based ratio sampling and the X-Ray and W3C headers, on the server's own SDK set-up. */
class SamplingAndPropagationTest {
  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in the API: a getter must implement it
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier.entrySet().stream()
              .filter(e -> e.getKey().equalsIgnoreCase(key))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
        }
      };

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final ServerTracing tracing =
      ServerTracing.create(
          TracingConfig.OFF.exportingTo(
              java.net.URI.create("http://127.0.0.1:9/v1/traces"),
              TracingConfig.DEFAULT_SAMPLER_RATIO),
          exporter);

  @AfterEach
  void close() {
    tracing.close();
  }

  @Test
  void onlyTracingWithAnExporterRecords() {
    assertThat(tracing.recording()).isTrue();
    try (ServerTracing off = ServerTracing.create(TracingConfig.OFF)) {
      assertThat(off.recording()).isFalse();
    }
  }

  @Test
  void tenPercentOfTenThousandRootSpansAreSampled() {
    Tracer tracer = tracing.openTelemetry().getTracer("test");
    int sampled = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      Span span = tracer.spanBuilder("GET").setNoParent().startSpan();
      if (span.getSpanContext().isSampled()) {
        sampled++;
      }
      span.end();
    }
    // Binomial(10000, 0.1): mean 1000, standard deviation 30. Five deviations either side fail a
    // correct sampler about once in 1.7 million runs, and catch a ratio off by 1.5 points.
    assertThat(sampled).isBetween(850, 1150);
  }

  @Test
  void aServerSpanAtTheRootIsRecordedBecauseTheHttpFilterHasDrawnTheRatio() {
    Tracer tracer = tracing.openTelemetry().getTracer("test");
    for (int i = 0; i < 100; i++) {
      Span span =
          tracer
              .spanBuilder("GET")
              .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
              .setNoParent()
              .startSpan();
      span.end();
      assertThat(span.getSpanContext().isSampled()).isTrue();
    }
  }

  @Test
  void theLoadBalancersDecisionIsKept() {
    Tracer tracer = tracing.openTelemetry().getTracer("test");
    String root = "1-5759e988-bd862e3fe1be46a994272793";
    Context sampled =
        extract(Map.of("X-Amzn-Trace-Id", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1"));
    Context dropped =
        extract(Map.of("X-Amzn-Trace-Id", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=0"));

    Span child = tracer.spanBuilder("GET").setParent(sampled).startSpan();
    Span notChild = tracer.spanBuilder("GET").setParent(dropped).startSpan();
    child.end();
    notChild.end();

    assertThat(child.getSpanContext().getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(child.getSpanContext().isSampled()).isTrue();
    assertThat(notChild.getSpanContext().getTraceId())
        .isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(notChild.getSpanContext().isSampled()).isFalse();
    tracing.flush();
    assertThat(exporter.getFinishedSpanItems())
        .extracting(d -> d.getSpanContext().getSpanId())
        .containsExactly(child.getSpanContext().getSpanId());
  }

  @Test
  void aRootOnlyHeaderKeepsTheLoadBalancersTraceIdAndTheRatioDecides() {
    Map<String, String> header =
        Map.of(
            "X-Amzn-Trace-Id",
            "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793");
    for (double ratio : new double[] {0.0, 1.0}) {
      try (ServerTracing other =
          ServerTracing.create(
              TracingConfig.OFF.exportingTo(
                  java.net.URI.create("http://127.0.0.1:9/v1/traces"), ratio),
              InMemorySpanExporter.create())) {
        Context parent =
            other
                .openTelemetry()
                .getPropagators()
                .getTextMapPropagator()
                .extract(Context.root(), header, MAP);
        Span span =
            other
                .openTelemetry()
                .getTracer("test")
                .spanBuilder("GET")
                .setParent(parent)
                .startSpan();
        span.end();
        assertThat(span.getSpanContext().getTraceId())
            .isEqualTo("5759e988bd862e3fe1be46a994272793");
        assertThat(span.getSpanContext().isSampled()).as("ratio %s", ratio).isEqualTo(ratio == 1.0);
      }
    }
  }

  @Test
  void aMalformedHeaderStartsANewTrace() {
    for (String bad :
        new String[] {
          "Root=2-5759e988-bd862e3fe1be46a994272793",
          "Root=1-5759e988bd862e3fe1be46a994272793",
          "Root=1-zzzzzzzz-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
          "garbage",
          "Root=" + "1".repeat(300)
        }) {
      assertThat(
              Span.fromContext(extract(Map.of("X-Amzn-Trace-Id", bad))).getSpanContext().isValid())
          .as(bad)
          .isFalse();
    }
  }

  @Test
  void w3cTraceparentIsReadToo() {
    Context parent =
        extract(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    SpanContext remote = Span.fromContext(parent).getSpanContext();
    assertThat(remote.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(remote.isSampled()).isTrue();
  }

  private Context extract(Map<String, String> headers) {
    return tracing
        .openTelemetry()
        .getPropagators()
        .getTextMapPropagator()
        .extract(Context.root(), headers, MAP);
  }
}
