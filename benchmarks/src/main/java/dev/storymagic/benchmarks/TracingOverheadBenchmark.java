package dev.storymagic.benchmarks;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.OfflineStoryModel;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What tracing costs on the L1 hit path: one request as the reference server serves it, a server
 * span (X-Ray ids, parent-based ratio sampler, batch processor into an exporter that drops) around
 * {@link StoryMagic#generate} of a cached story, against the same call with tracing off.
 *
 * <ul>
 *   <li>{@code OFF}: no OpenTelemetry anywhere (the SDK's default when the application sets none);
 *   <li>{@code SAMPLED_10}: the server's set-up at its default ratio, 10 % of requests recorded;
 *   <li>{@code SAMPLED_100}: every request recorded, the upper bound.
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar TracingOverheadBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TracingOverheadBenchmark {
  /** How a request is traced. */
  public enum Tracing {
    OFF(-1),
    SAMPLED_10(0.1),
    SAMPLED_100(1.0);

    final double ratio;

    Tracing(double ratio) {
      this.ratio = ratio;
    }
  }

  @Param public Tracing tracing;

  private OpenTelemetrySdk sdk;
  private Tracer server;
  private StoryMagic magic;
  private StoryRequest cached;

  @Setup
  public void setUp() {
    StoryMagic.Builder builder = StoryMagic.builder().model(OfflineStoryModel.create());
    if (tracing != Tracing.OFF) {
      sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .setIdGenerator(AwsXrayIdGenerator.getInstance())
                      .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(tracing.ratio)))
                      .addSpanProcessor(
                          BatchSpanProcessor.builder(new DroppingExporter())
                              .setMaxQueueSize(2048)
                              .build())
                      .build())
              .build();
      builder.openTelemetry(sdk);
      server = sdk.getTracer("dev.storymagic.server");
    }
    magic = builder.build();
    cached = Requests.typical();
    magic.generate(cached);
    Story hit = magic.generate(cached);
    if (hit.cacheTier() != CacheTier.L1) {
      throw new IllegalStateException("expected an L1 hit, got " + hit.cacheTier());
    }
  }

  @TearDown
  public void tearDown() {
    magic.close();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public Story l1Hit() {
    if (server == null) {
      return magic.generate(cached);
    }
    Span span = server.spanBuilder("POST").setSpanKind(SpanKind.SERVER).startSpan();
    try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
      return magic.generate(cached);
    } finally {
      span.updateName("POST /api/stories");
      span.end();
    }
  }

  /**
   * Takes every batch and keeps nothing: the cost measured is the application's, not a network's.
   */
  static final class DroppingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
