package dev.storymagic.server.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * The {@code X-Amzn-Trace-Id} header ({@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=
 * 53995c3f42cd8ad8;Sampled=1}).
 *
 * <p>Written here rather than taken from the OpenTelemetry contribution, whose latest release calls
 * an API-internal method that OpenTelemetry 1.68 no longer has. It also reads what the load
 * balancer sends first: a {@code Root} alone, with no {@code Parent} and no sampling decision. Such
 * a request keeps the load balancer's trace id (so its access log and the server's lines share it)
 * under a parent id made from that trace id, and the decision is the sampler's {@code ratio}, taken
 * on the trace id as the ratio sampler does. Not API.
 */
final class XrayPropagator implements TextMapPropagator {
  static final String HEADER = "X-Amzn-Trace-Id";
  private static final List<String> FIELDS = List.of(HEADER);
  private static final int MAX_HEADER = 256;

  private final long threshold;

  /** {@code ratio}: the share of root-only requests sampled, 0 to 1. */
  XrayPropagator(double ratio) {
    // Same rule as the SDK's ratio sampler: the lower 64 bits of the trace id against ratio * 2^63.
    this.threshold =
        ratio >= 1 ? Long.MAX_VALUE : ratio <= 0 ? Long.MIN_VALUE : (long) (ratio * Long.MAX_VALUE);
  }

  @Override
  public List<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid() || setter == null) {
      return;
    }
    String trace = span.getTraceId();
    setter.set(
        carrier,
        HEADER,
        "Root=1-"
            + trace.substring(0, 8)
            + "-"
            + trace.substring(8)
            + ";Parent="
            + span.getSpanId()
            + ";Sampled="
            + (span.isSampled() ? "1" : "0"));
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    String header = getter == null ? null : getter.get(carrier, HEADER);
    if (header == null || header.isEmpty() || header.length() > MAX_HEADER) {
      return context;
    }
    String traceId = null;
    String parentId = null;
    Boolean sampled = null;
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      switch (key) {
        case "Root" -> traceId = traceId(value);
        case "Parent" -> parentId = SpanId.isValid(value) ? value : null;
        case "Sampled" ->
            sampled = "1".equals(value) ? Boolean.TRUE : "0".equals(value) ? Boolean.FALSE : null;
        default -> {} // Self, Lineage and custom fields are not ours
      }
    }
    if (traceId == null) {
      return context;
    }
    if (parentId == null) {
      parentId = traceId.substring(16); // the load balancer's own hop, made up from the trace id
    }
    boolean decision =
        sampled != null
            ? sampled
            : Long.parseUnsignedLong(traceId.substring(16), 16) >>> 1 < threshold;
    SpanContext remote =
        SpanContext.createFromRemoteParent(
            traceId,
            parentId,
            decision ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
    return remote.isValid() ? context.with(Span.wrap(remote)) : context;
  }

  /** {@code 1-5759e988-bd862e3fe1be46a994272793} to the 32-hex-digit OpenTelemetry id, or null. */
  private static String traceId(String root) {
    if (root.length() != 35 || !root.startsWith("1-") || root.charAt(10) != '-') {
      return null;
    }
    String id = root.substring(2, 10) + root.substring(11);
    return TraceId.isValid(id) ? id : null;
  }
}
