package dev.storymagic.server.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The server span of every sampled HTTP request, as a servlet filter in front of Javalin: the trace
 * context is taken from {@code X-Amzn-Trace-Id} (the load balancer) or {@code traceparent}, the
 * span is current while the request is handled (and, through the SDK's pools, while its story is
 * generated), and ends when the response is complete, asynchronous ones included. It is named by
 * route template ({@code POST /api/stories}), never by path, and records method, route, status and
 * the scheme; not the query, headers, or body. Not API.
 */
public final class HttpTracing implements Filter {
  /**
   * The request attribute holding the route template; Javalin's {@code ctx.attribute("route")} sets
   * it.
   */
  static final String ROUTE = "route";

  /**
   * The request attribute holding the request's context, for work that completes on other threads.
   */
  static final String CONTEXT = HttpTracing.class.getName() + ".context";

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final TextMapGetter<HttpServletRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in the API: a getter must implement it
        public Iterable<String> keys(HttpServletRequest carrier) {
          return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
          return carrier == null ? null : carrier.getHeader(key);
        }
      };

  /**
   * The parent of everything a dropped request does: a fixed, unsampled span context, so the spans
   * the pipeline and the stores would start under it are dropped by the parent-based sampler, and
   * nothing is generated per request. Its ids belong to no trace: log lines leave them out.
   */
  static final SpanContext UNTRACED_SPAN =
      SpanContext.create(
          "00000000000000000000000000000001",
          "0000000000000001",
          TraceFlags.getDefault(),
          TraceState.getDefault());

  private static final Context UNTRACED = Context.root().with(Span.wrap(UNTRACED_SPAN));

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  /** The headers the propagators read: a request with none of them starts no extraction. */
  private final java.util.List<String> fields;

  private final boolean recording;

  /** The share of requests without a trace header that start a recorded trace. */
  private final double newTraceRatio;

  /** The server span of every sampled request, on {@code tracing}'s SDK. */
  public HttpTracing(ServerTracing tracing) {
    this(tracing.openTelemetry(), tracing.recording(), tracing.samplerRatio());
  }

  /**
   * {@code recording}: whether spans are sampled and exported at all (false: none is started here);
   * {@code newTraceRatio}: the share of requests without a trace header that are traced.
   */
  HttpTracing(OpenTelemetry openTelemetry, boolean recording, double newTraceRatio) {
    this.tracer = openTelemetry.getTracer("dev.storymagic.server");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.fields = java.util.List.copyOf(propagator.fields());
    this.recording = recording;
    this.newTraceRatio = newTraceRatio;
  }

  /** Puts the filter in front of every request Javalin serves. */
  public void install(ServletContextHandler handler) {
    handler.addFilter(new FilterHolder(this), "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  /**
   * The sampling decision comes first, and only a sampled request pays for a span. A request whose
   * trace the caller dropped ({@code Sampled=0}, or {@code traceparent} flags 00), or any request
   * while nothing is recorded, gets no span of its own: the caller's trace context, when it sent
   * one, is made current as it arrived, so its log lines carry that trace id and the SDK starts
   * nothing under it. A request with no trace header draws the ratio here, before anything is made:
   * a dropped one runs with no trace at all (no ids, no span, no sampler call; its log lines carry
   * no trace id, as there is no trace to lead to), a kept one starts a root server span that the
   * server's sampler records. Behind the load balancer every request has a header ({@code
   * X-Amzn-Trace-Id}, whose {@code Root} alone the propagator decides on at the same ratio).
   */
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse answer = (HttpServletResponse) response;
    Context parent = incoming(http);
    SpanContext remote = Span.fromContext(parent).getSpanContext();
    if (!remote.isValid() && !(recording && startsNewTrace())) {
      // Not a root of its own: the story pipeline's and the store's spans under it are dropped
      // with it rather than sampled as traces of their own. With tracing off too: without a
      // parent, the pipeline would start root spans the SDK then drops, ids and all.
      http.setAttribute(CONTEXT, UNTRACED);
      try (Scope ignored = UNTRACED.makeCurrent()) {
        chain.doFilter(request, response);
      }
      return;
    }
    if (!recording || (remote.isValid() && !remote.isSampled())) {
      // A caller's trace context (tracing off, or the caller dropped it): current as it came.
      http.setAttribute(CONTEXT, parent);
      try (Scope ignored = parent.makeCurrent()) {
        chain.doFilter(request, response);
      }
      return;
    }
    Span span =
        tracer
            .spanBuilder(http.getMethod())
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    Context context = parent.with(span);
    http.setAttribute(CONTEXT, context);
    if (!span.isRecording()) {
      try (Scope ignored = context.makeCurrent()) {
        chain.doFilter(request, response);
      }
      return;
    }
    boolean async = false;
    try (Scope ignored = context.makeCurrent()) {
      chain.doFilter(request, response);
      async = http.isAsyncStarted();
      if (async) {
        http.getAsyncContext()
            .addListener(
                new AsyncListener() {
                  @Override
                  public void onComplete(AsyncEvent event) {
                    end(span, http, answer, null);
                  }

                  @Override
                  public void onTimeout(AsyncEvent event) {
                    span.setAttribute(ERROR_TYPE, "timeout");
                  }

                  @Override
                  public void onError(AsyncEvent event) {
                    span.setAttribute(
                        ERROR_TYPE,
                        event.getThrowable() == null
                            ? "error"
                            : event.getThrowable().getClass().getSimpleName());
                  }

                  @Override
                  public void onStartAsync(AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                  }
                });
      }
    } catch (IOException | ServletException | RuntimeException e) {
      end(span, http, answer, e);
      throw e;
    }
    if (!async) {
      end(span, http, answer, null);
    }
  }

  /** Whether a request that brought no trace context starts one: true for the ratio's share. */
  boolean startsNewTrace() {
    return newTraceRatio >= 1
        || (newTraceRatio > 0 && ThreadLocalRandom.current().nextDouble() < newTraceRatio);
  }

  /** The trace context the request brought, or the root context when it has none of the headers. */
  private Context incoming(HttpServletRequest http) {
    for (int i = 0; i < fields.size(); i++) {
      if (http.getHeader(fields.get(i)) != null) {
        return propagator.extract(Context.root(), http, HEADERS);
      }
    }
    return Context.root();
  }

  /** The context of the request being handled, for code that runs after it on another thread. */
  public static Context contextOf(HttpServletRequest request) {
    return request.getAttribute(CONTEXT) instanceof Context c ? c : Context.current();
  }

  private static void end(
      Span span, HttpServletRequest request, HttpServletResponse response, Throwable error) {
    if (span.isRecording()) {
      String method = request.getMethod();
      String route = request.getAttribute(ROUTE) instanceof String r ? r : null;
      span.updateName(route == null ? method : method + " " + route);
      span.setAttribute(METHOD, method);
      if (route != null) {
        span.setAttribute(HTTP_ROUTE, route);
      }
      span.setAttribute(SCHEME, request.getScheme());
      int status = error != null ? 500 : response.getStatus();
      span.setAttribute(STATUS, status);
      if (error != null) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(ERROR_TYPE, error.getClass().getSimpleName());
      } else if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(ERROR_TYPE, Integer.toString(status));
      }
    }
    span.end();
  }
}
