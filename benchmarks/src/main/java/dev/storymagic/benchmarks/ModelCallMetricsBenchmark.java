package dev.storymagic.benchmarks;

import dev.storymagic.TokenUsage;
import dev.storymagic.internal.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Metering one model call: the GenAI duration timer and the two token summaries every successful
 * call records into, on a registry that keeps its meters (as the reference server's Prometheus and
 * CloudWatch registries do; the SDK's default registry keeps none).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ModelCallMetricsBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ModelCallMetricsBenchmark {
  private static final TokenUsage USAGE = new TokenUsage(412, 655);

  private PipelineMetrics metrics;

  @Setup
  public void setUp() {
    metrics = new PipelineMetrics(new SimpleMeterRegistry());
    metrics.modelCall("gpt-4o-mini-2024-07-18", 1_000_000L, "", USAGE);
  }

  @Benchmark
  public PipelineMetrics successfulCall() {
    metrics.modelCall("gpt-4o-mini-2024-07-18", 1_200_000L, "", USAGE);
    return metrics;
  }
}
