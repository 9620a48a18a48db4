package dev.storymagic.server.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Logback's asynchronous appender that also puts the current trace into each line's MDC, so a line
 * in CloudWatch Logs leads to its trace in X-Ray: {@code trace_id} and {@code span_id}
 * (OpenTelemetry's hex) and {@code xray_trace_id} ({@code 1-5759e988-bd862e3fe1be46a994272793},
 * X-Ray's form). It reads the trace on the thread that logs, whichever thread or pool the work is
 * on, just before the line is queued; lines outside a trace (and those of requests the sampler
 * dropped before they had ids) carry none. Not API.
 *
 * <p>It works per line written rather than per logging call: a turbo filter would run on every
 * {@code isDebugEnabled()} a library makes (Jetty makes dozens per request), which cost the cached
 * story endpoints a measurable share of their CPU even with tracing off.
 */
public final class TracedAsyncAppender extends AsyncAppender {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String XRAY_TRACE_ID = "xray_trace_id";

  @Override
  protected void preprocess(ILoggingEvent event) {
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()
        && !span.getTraceId().equals(HttpTracing.UNTRACED_SPAN.getTraceId())
        && event instanceof LoggingEvent line) {
      annotate(line, span);
    }
    super.preprocess(event);
  }

  private static void annotate(LoggingEvent line, SpanContext span) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    Map<String, String> mdc = context == null ? new HashMap<>(4) : new HashMap<>(context);
    String traceId = span.getTraceId();
    mdc.put(TRACE_ID, traceId);
    mdc.put(SPAN_ID, span.getSpanId());
    mdc.put(XRAY_TRACE_ID, "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8));
    try {
      line.setMDCPropertyMap(mdc);
    } catch (IllegalStateException alreadyRead) {
      // Another appender of the same logger read the line's MDC first: it keeps that one.
    }
  }
}
