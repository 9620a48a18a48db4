package dev.storymagic.server.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current trace into the MDC of every log line, so a line in CloudWatch Logs leads to its
 * trace in X-Ray: {@code trace_id} and {@code span_id} (OpenTelemetry's hex) and {@code
 * xray_trace_id} ({@code 1-5759e988-bd862e3fe1be46a994272793}, X-Ray's form). Runs on the logging
 * thread before the event is made, whichever thread or pool the work is on; lines outside a request
 * carry none. Not API.
 *
 * <p>Logback asks turbo filters about every call, {@code isDebugEnabled()} checks included (Jetty
 * makes dozens per request): those below the logger's level return at once, and the MDC is only
 * written when the ids differ from what it holds, so a line costs no copy of the MDC it did not
 * change.
 */
public final class TraceContextTurboFilter extends TurboFilter {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String XRAY_TRACE_ID = "xray_trace_id";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // not written: nothing to annotate
    }
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      String traceId = span.getTraceId();
      if (!traceId.equals(MDC.get(TRACE_ID))) {
        MDC.put(TRACE_ID, traceId);
        MDC.put(XRAY_TRACE_ID, "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8));
      }
      String spanId = span.getSpanId();
      if (!spanId.equals(MDC.get(SPAN_ID))) {
        MDC.put(SPAN_ID, spanId);
      }
    } else if (MDC.get(TRACE_ID) != null) {
      MDC.remove(TRACE_ID);
      MDC.remove(XRAY_TRACE_ID);
      MDC.remove(SPAN_ID);
    }
    return FilterReply.NEUTRAL;
  }
}
