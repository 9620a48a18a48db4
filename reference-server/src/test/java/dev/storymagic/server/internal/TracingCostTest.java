package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.storymagic.server.TracingConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What tracing does per request and per log line: the ratio drawn for requests without a trace
 * header, and the trace ids each queued line gets.
 */
class TracingCostTest {
  private static final String TRACE = "5759e988bd862e3fe1be46a994272793";
  private static final String SPAN = "53995c3f42cd8ad8";

  @Test
  void aTenthOfRequestsWithoutATraceHeaderStartATrace() {
    try (ServerTracing tracing = tracing(0.1)) {
      HttpTracing filter = new HttpTracing(tracing);
      int started = 0;
      for (int i = 0; i < 10_000; i++) {
        if (filter.startsNewTrace()) {
          started++;
        }
      }
      // Binomial(10000, 0.1): mean 1000, standard deviation 30; five deviations either side.
      assertThat(started).isBetween(850, 1150);
    }
  }

  @Test
  void ratiosZeroAndOneAreNeverAndAlways() {
    try (ServerTracing never = tracing(0.0);
        ServerTracing always = tracing(1.0)) {
      HttpTracing none = new HttpTracing(never);
      HttpTracing all = new HttpTracing(always);
      for (int i = 0; i < 1_000; i++) {
        assertThat(none.startsNewTrace()).isFalse();
        assertThat(all.startsNewTrace()).isTrue();
      }
    }
  }

  @Test
  void aLineLoggedInsideATraceCarriesItsIdsBesideTheMdcItHad() {
    Logged logged = new Logged();
    Span span =
        Span.wrap(
            SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault()));
    MDC.put("request_id", "r-1");
    try (Scope ignored = span.makeCurrent()) {
      logged.logger.info("inside");
    } finally {
      MDC.remove("request_id");
    }
    logged.logger.info("outside");

    logged.stop();
    ILoggingEvent inside = logged.line(0);
    assertThat(inside.getMDCPropertyMap())
        .containsEntry("trace_id", TRACE)
        .containsEntry("span_id", SPAN)
        .containsEntry("xray_trace_id", "1-5759e988-bd862e3fe1be46a994272793")
        .containsEntry("request_id", "r-1");
    ILoggingEvent outside = logged.line(1);
    assertThat(outside.getMDCPropertyMap())
        .doesNotContainKeys("trace_id", "span_id", "xray_trace_id");
  }

  @Test
  void workUnderADroppedRequestStartsNoTraceOfItsOwn() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (ServerTracing tracing =
        ServerTracing.create(
            TracingConfig.OFF.exportingTo(URI.create("http://127.0.0.1:9/v1/traces"), 1.0),
            exporter)) {
      io.opentelemetry.api.trace.Tracer pipeline = tracing.openTelemetry().getTracer("pipeline");
      for (int i = 0; i < 200; i++) {
        Span child =
            pipeline
                .spanBuilder("story.generate")
                .setParent(
                    io.opentelemetry.context.Context.root()
                        .with(Span.wrap(HttpTracing.UNTRACED_SPAN)))
                .startSpan();
        child.end();
        assertThat(child.isRecording()).isFalse();
      }
      tracing.flush();
      assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void aLineOfADroppedRequestCarriesNoTraceIds() {
    Logged logged = new Logged();
    try (Scope ignored = Span.wrap(HttpTracing.UNTRACED_SPAN).makeCurrent()) {
      logged.logger.info("dropped");
    }
    logged.stop();
    assertThat(logged.line(0).getMDCPropertyMap())
        .doesNotContainKeys("trace_id", "span_id", "xray_trace_id");
  }

  @Test
  void withTracingOffARequestWithoutATraceHeaderRunsUnderTheUntracedParent() throws Exception {
    try (ServerTracing off = ServerTracing.create(TracingConfig.OFF)) {
      HttpTracing filter = new HttpTracing(off);
      java.util.List<SpanContext> seen = new java.util.ArrayList<>();
      java.util.List<Boolean> pipelineStarted = new java.util.ArrayList<>();
      dev.storymagic.internal.Tracing pipeline =
          dev.storymagic.internal.Tracing.of(
              java.util.Optional.of(off.openTelemetry()), "dev.storymagic");
      for (int i = 0; i < 100; i++) {
        filter.doFilter(
            headerlessRequest(),
            null,
            (request, response) -> {
              seen.add(Span.current().getSpanContext());
              Span entry =
                  pipeline.entry("story.generate", io.opentelemetry.api.trace.SpanKind.INTERNAL);
              pipelineStarted.add(entry.getSpanContext().isValid());
              entry.end();
            });
      }
      // Without it, every request's pipeline would start a root span (two ids, a sampler call)
      // only for the SDK to drop it.
      assertThat(seen).hasSize(100).containsOnly(HttpTracing.UNTRACED_SPAN);
      assertThat(pipelineStarted).containsOnly(false);
    }
  }

  /** A request with no headers at all: what the filter reads of one, and nothing else. */
  private static jakarta.servlet.http.HttpServletRequest headerlessRequest() {
    java.util.Map<String, Object> attributes = new java.util.HashMap<>();
    return (jakarta.servlet.http.HttpServletRequest)
        java.lang.reflect.Proxy.newProxyInstance(
            TracingCostTest.class.getClassLoader(),
            new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getHeader" -> null;
                  case "getHeaderNames" -> java.util.Collections.emptyEnumeration();
                  case "setAttribute" -> attributes.put((String) args[0], args[1]);
                  case "getAttribute" -> attributes.get((String) args[0]);
                  case "isAsyncStarted" -> false;
                  default ->
                      throw new UnsupportedOperationException(
                          "not read by the filter: " + method.getName());
                });
  }

  private static ServerTracing tracing(double ratio) {
    return ServerTracing.create(
        TracingConfig.OFF.exportingTo(URI.create("http://127.0.0.1:9/v1/traces"), ratio),
        InMemorySpanExporter.create());
  }

  /** A logger whose lines go through the traced asynchronous appender into a list. */
  private static final class Logged {
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    final ListAppender<ILoggingEvent> list = new ListAppender<>();
    final TracedAsyncAppender async = new TracedAsyncAppender();
    final Logger logger = context.getLogger(TracingCostTest.class.getName() + ".lines");

    Logged() {
      list.setContext(context);
      list.start();
      async.setContext(context);
      async.addAppender(list);
      async.start();
      logger.setAdditive(false);
      logger.addAppender(async);
    }

    /** A line the appender passed on; after {@link #stop()}, which drains its queue. */
    ILoggingEvent line(int index) {
      assertThat(list.list).hasSizeGreaterThan(index);
      return list.list.get(index);
    }

    /** Detaches the appender and waits for the lines it queued to reach the list. */
    void stop() {
      logger.detachAppender(async);
      async.stop();
    }
  }
}
