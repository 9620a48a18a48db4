package dev.storymagic.server.internal;

import dev.storymagic.server.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's OpenTelemetry SDK: X-Ray trace ids (the first 32 bits are the start time, as X-Ray
 * requires), {@code X-Amzn-Trace-Id} and W3C {@code traceparent} propagation, parent-based ratio
 * sampling, and a batch exporter over OTLP/HTTP to the collector beside the server.
 *
 * <p>Without an endpoint nothing is sampled, recorded or exported, and nothing is logged about it;
 * spans the SDK starts still carry trace ids, and a request that brings a trace (the load
 * balancer's {@code X-Amzn-Trace-Id}) keeps its trace id in its log lines ({@link HttpTracing}).
 * The exporter has a time limit per export and a bounded queue: a slow or absent collector drops
 * spans, never requests. Not API.
 */
public final class ServerTracing implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerTracing.class);

  /** How often the batch processor exports; X-Ray shows traces within seconds. */
  private static final Duration SCHEDULE_DELAY = Duration.ofSeconds(2);

  private static final int MAX_BATCH = 512;

  private final OpenTelemetrySdk sdk;
  private final double samplerRatio;

  private ServerTracing(OpenTelemetrySdk sdk, double samplerRatio) {
    this.samplerRatio = samplerRatio;
    this.sdk = sdk;
  }

  /** Tracing as {@code config} says: exporting over OTLP/HTTP, or recording nothing. */
  public static ServerTracing create(TracingConfig config) {
    if (!config.exporting()) {
      return create(config, null);
    }
    SpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(config.endpoint().get().toString())
            .setTimeout(config.exportTimeout())
            .setConnectTimeout(
                Duration.ofMillis(Math.min(config.exportTimeout().toMillis(), 2_000)))
            .build();
    log.info(
        "exporting traces over OTLP to {}, sampling {} of new traces",
        config.endpoint().get(),
        config.samplerRatio());
    return create(config, exporter);
  }

  /** Tracing into {@code exporter} (null: none), sampled as {@code config} says. */
  public static ServerTracing create(TracingConfig config, SpanExporter exporter) {
    io.opentelemetry.sdk.trace.SdkTracerProviderBuilder tracer =
        SdkTracerProvider.builder()
            .setIdGenerator(AwsXrayIdGenerator.getInstance())
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"),
                                config.serviceName()))));
    if (exporter == null) {
      // Nothing is sampled, but spans still get ids (the load balancer's trace id, or a new one)
      // for
      // the log lines; the SDK gives id-less spans to a provider without any span processor.
      tracer
          .setSampler(Sampler.alwaysOff())
          .addSpanProcessor(
              new io.opentelemetry.sdk.trace.SpanProcessor() {
                @Override
                public void onStart(
                    Context parentContext, io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

                @Override
                public boolean isStartRequired() {
                  return false;
                }

                @Override
                public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

                @Override
                public boolean isEndRequired() {
                  return false;
                }
              });
    } else {
      tracer.setSampler(
          Sampler.parentBased(
              new EntryPointSampler(Sampler.traceIdRatioBased(config.samplerRatio()))));
      tracer.addSpanProcessor(
          BatchSpanProcessor.builder(exporter)
              .setMaxQueueSize(config.maxQueueSize())
              .setMaxExportBatchSize(Math.min(MAX_BATCH, config.maxQueueSize()))
              .setScheduleDelay(SCHEDULE_DELAY)
              .setExporterTimeout(config.exportTimeout())
              .build());
    }
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracer.build())
            // The load balancer's header wins when both arrive: it is what X-Ray links.
            .setPropagators(
                ContextPropagators.create(
                    TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(),
                        new XrayPropagator(config.samplerRatio()))))
            .build();
    return new ServerTracing(sdk, config.samplerRatio());
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The share of new traces recorded, 0 to 1. */
  public double samplerRatio() {
    return samplerRatio;
  }

  public boolean recording() {
    // Only the provider without an exporter samples nothing at all.
    return !Sampler.alwaysOff().equals(sdk.getSdkTracerProvider().getSampler());
  }

  /** Exports what is queued now, within the export time limit. */
  public void flush() {
    sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
  }

  /** Exports what is queued, within the export time limit, then stops. Idempotent. */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
  }

  /**
   * The sampler of new traces. A server span at the root is the HTTP filter's, which has already
   * drawn the ratio before making it (so a dropped request costs no ids, no span and no sampler
   * call): it is recorded. Any other root span (work outside a request) is sampled at the ratio.
   */
  private static final class EntryPointSampler implements Sampler {
    private final Sampler otherRoots;

    EntryPointSampler(Sampler otherRoots) {
      this.otherRoots = otherRoots;
    }

    @Override
    public SamplingResult shouldSample(
        Context parentContext,
        String traceId,
        String name,
        SpanKind spanKind,
        Attributes attributes,
        java.util.List<LinkData> parentLinks) {
      return spanKind == SpanKind.SERVER
          ? SamplingResult.recordAndSample()
          : otherRoots.shouldSample(
              parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
      return "EntryPointSampler{server spans: decided by the HTTP filter, others: "
          + otherRoots.getDescription()
          + "}";
    }
  }
}
