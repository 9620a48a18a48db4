package dev.storymagic.server.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;
import org.slf4j.MDC;

/**
 * The asynchronous appender of the server's log lines: a bounded ring that one writer thread drains
 * into the appenders attached to it, and that also puts the current trace into each line's MDC, so
 * a line in CloudWatch Logs leads to its trace in X-Ray: {@code trace_id} and {@code span_id}
 * (OpenTelemetry's hex) and {@code xray_trace_id} ({@code 1-5759e988-bd862e3fe1be46a994272793},
 * X-Ray's form). It reads the trace on the thread that logs, whichever thread or pool the work is
 * on, just before the line is queued; lines outside a trace (and those of requests the sampler
 * dropped before they had ids) carry none. Not API.
 *
 * <p>The ring is logstash-logback-encoder's (LMAX Disruptor) rather than logback's {@code
 * AsyncAppender}: that one's blocking queue wakes its writer for every line, and under load that
 * wake-up (a lock hand-off and an unpark on the request thread, a park on the writer's) cost the
 * cached story endpoints about a tenth of the server's CPU. Configured with a sleeping wait
 * strategy, the writer looks for lines every few milliseconds and writes all it finds, and a
 * request thread only publishes into the ring.
 *
 * <p>When fewer than {@link #setDiscardingThreshold discardingThreshold} places are free, lines at
 * INFO and below (the access log) are dropped and WARN and ERROR still queued, so a burst the
 * writer cannot keep up with loses access lines, never the errors; a full ring drops what finds it
 * full instead of blocking the request.
 *
 * <p>It works per line written rather than per logging call: a turbo filter would run on every
 * {@code isDebugEnabled()} a library makes (Jetty makes dozens per request), which cost the cached
 * story endpoints a measurable share of their CPU even with tracing off.
 */
public final class TracedAsyncAppender extends LoggingEventAsyncDisruptorAppender {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String XRAY_TRACE_ID = "xray_trace_id";

  private int discardingThreshold;
  private String keptLogger;

  /**
   * Free places in the ring below which lines at INFO and below are dropped (default 0: none are
   * dropped before the ring is full).
   */
  public void setDiscardingThreshold(int places) {
    if (places < 0) {
      throw new IllegalArgumentException("discardingThreshold cannot be negative: " + places);
    }
    this.discardingThreshold = places;
  }

  public int getDiscardingThreshold() {
    return discardingThreshold;
  }

  /**
   * A logger whose lines are never dropped before the ring is full, whatever their level (the
   * metric documents, which the threshold would otherwise drop with the access log).
   */
  public void setKeptLogger(String name) {
    this.keptLogger = name;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (discardingThreshold > 0
        && event.getLevel().toInt() <= Level.INFO_INT
        && !event.getLoggerName().equals(keptLogger)
        && isStarted()
        && getDisruptor().getRingBuffer().remainingCapacity() < discardingThreshold) {
      return;
    }
    super.append(event);
  }

  @Override
  protected void prepareForDeferredProcessing(ILoggingEvent event) {
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()
        && !span.getTraceId().equals(HttpTracing.UNTRACED_SPAN.getTraceId())
        && event instanceof LoggingEvent line) {
      annotate(line, span);
    }
    super.prepareForDeferredProcessing(event);
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
