package dev.storymagic.server.tracing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What an OTLP/HTTP receiver (WireMock on {@code /v1/traces}) got, decoded with the OTLP protobuf.
 */
final class OtlpTraces {
  static final String PATH = "/v1/traces";

  /** One received span with its resource's service name. */
  record Received(Span span, String serviceName) {
    String name() {
      return span.getName();
    }

    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    Optional<AnyValue> attribute(String key) {
      return span.getAttributesList().stream()
          .filter(kv -> kv.getKey().equals(key))
          .map(KeyValue::getValue)
          .findFirst();
    }

    String string(String key) {
      return attribute(key).map(AnyValue::getStringValue).orElse(null);
    }

    Long number(String key) {
      return attribute(key).map(AnyValue::getIntValue).orElse(null);
    }
  }

  private OtlpTraces() {}

  static List<Received> all(WireMockServer receiver) {
    List<Received> spans = new ArrayList<>();
    for (LoggedRequest request :
        receiver.findAll(
            com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(PATH)))) {
      ExportTraceServiceRequest export;
      try {
        export = ExportTraceServiceRequest.parseFrom(request.getBody());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(
            "the exporter sent something that is not an OTLP ExportTraceServiceRequest", e);
      }
      for (ResourceSpans resource : export.getResourceSpansList()) {
        String service =
            resource.getResource().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals("service.name"))
                .map(kv -> kv.getValue().getStringValue())
                .findFirst()
                .orElse(null);
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            spans.add(new Received(span, service));
          }
        }
      }
    }
    return spans;
  }
}
