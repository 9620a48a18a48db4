package dev.storymagic.internal;

import dev.storymagic.StoryMagicException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Optional;

/**
 * The spans of one StoryMagic module, through the OpenTelemetry API only: the application brings
 * the SDK. Spans go to the {@link OpenTelemetry} given to a builder, or else to the global one once
 * the application has set it (reading it never installs the no-op global, which would make the
 * application's own {@code GlobalOpenTelemetry.set} fail).
 *
 * <p>Cheap when not sampled: an entry span is not even started when the current span belongs to a
 * trace that is not sampled, and stage spans only start under a recording span, so a request the
 * sampler dropped (nine in ten at the default 10 %) costs a thread-local read per stage. A span
 * that was not started is {@link Span#getInvalid()}: ending it or setting attributes on it does
 * nothing, and {@link #enter} never makes it current (which would turn the next span into a new
 * root). Not API.
 */
public final class Tracing {
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final OpenTelemetry given;
  private final String scope;
  private volatile Tracer tracer;

  private Tracing(OpenTelemetry given, String scope) {
    this.given = given;
    this.scope = scope;
  }

  /**
   * Spans to {@code openTelemetry} when present, else to the global OpenTelemetry once it is set.
   */
  public static Tracing of(Optional<OpenTelemetry> openTelemetry, String instrumentationScope) {
    return new Tracing(openTelemetry.orElse(null), instrumentationScope);
  }

  /**
   * The tracer, or empty while none was given and the application has set no global OpenTelemetry.
   */
  private Tracer tracer() {
    Tracer t = tracer;
    if (t == null) {
      OpenTelemetry source =
          given != null ? given : GlobalOpenTelemetry.isSet() ? GlobalOpenTelemetry.get() : null;
      if (source == null) {
        return null;
      }
      t = source.getTracer(scope);
      tracer = t;
    }
    return t;
  }

  /**
   * Starts the span of a unit of work that may begin a trace (a generation, a model call): a root
   * when nothing is current, a child of a sampled current span; not started under a span the
   * sampler dropped.
   */
  public Span entry(String name, SpanKind kind) {
    SpanContext parent = Span.current().getSpanContext();
    if (parent.isValid() && !parent.isSampled()) {
      return Span.getInvalid();
    }
    Tracer t = tracer();
    return t == null ? Span.getInvalid() : t.spanBuilder(name).setSpanKind(kind).startSpan();
  }

  /** Starts the span of a step inside traced work; not started unless the current span records. */
  public Span child(String name, SpanKind kind) {
    if (!Span.current().isRecording()) {
      return Span.getInvalid();
    }
    Tracer t = tracer();
    return t == null ? Span.getInvalid() : t.spanBuilder(name).setSpanKind(kind).startSpan();
  }

  /** An internal step, as {@link #child(String, SpanKind)}. */
  public Span child(String name) {
    return child(name, SpanKind.INTERNAL);
  }

  /**
   * Makes {@code span} current until the scope closes; a span that was not started stays out of the
   * context.
   */
  @SuppressWarnings("MustBeClosedChecker") // the caller closes the scope, in try-with-resources
  public static Scope enter(Span span) {
    return span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop();
  }

  /** The {@code error.type} of a failure: a StoryMagic error's code, else the exception's class. */
  public static String errorType(Throwable e) {
    return e instanceof StoryMagicException s ? s.code() : e.getClass().getSimpleName();
  }

  /**
   * Marks the span failed with the error's type only: exception messages can quote user text, so
   * neither the message nor a stack trace is recorded.
   */
  public static void fail(Span span, Throwable error, String type) {
    if (span.isRecording()) {
      span.setStatus(StatusCode.ERROR);
      span.setAttribute(ERROR_TYPE, type);
    }
  }
}
