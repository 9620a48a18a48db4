package dev.storymagic.benchmarks;

import dev.storymagic.safety.ml.LayeredSafetyFilter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * What the layered safety filter adds to start-up: reading the heads, the tokenizer and the 23 MB
 * ONNX model and creating the ONNX Runtime session, from nothing loaded to the first possible
 * check. Each call loads and closes one filter; the first measured call of a fork is the cold one.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LayeredSafetyStartUpBenchmark -f 3 -wi 0 -i 3
 * }</pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LayeredSafetyStartUpBenchmark {
  @Benchmark
  public String loadModelAndHeads() {
    try (LayeredSafetyFilter f = LayeredSafetyFilter.builder().intraOpThreads(1).build()) {
      return f.warmUp().version();
    }
  }
}
