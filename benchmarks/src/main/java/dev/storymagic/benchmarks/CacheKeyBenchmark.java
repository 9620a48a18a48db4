package dev.storymagic.benchmarks;

import dev.storymagic.SafetyPolicy;
import dev.storymagic.StoryRequest;
import dev.storymagic.internal.CacheKeys;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.PromptTemplates;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The canonical cache key: normalising the request and hashing it with SHA-256, as every {@code
 * generate} call does before it looks in the cache.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar CacheKeyBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheKeyBenchmark {

  /** How much user text the request carries. */
  public enum Shape {
    MINIMAL(Requests::minimal),
    TYPICAL(Requests::typical);

    @SuppressWarnings("ImmutableEnumChecker") // method references, stateless
    final Supplier<StoryRequest> request;

    Shape(Supplier<StoryRequest> request) {
      this.request = request;
    }
  }

  @Param public Shape shape;

  private StoryRequest request;
  private String templateVersion;
  private String policyVersion;

  @Setup
  public void setUp() {
    request = shape.request.get();
    templateVersion = PromptTemplates.defaults().version();
    policyVersion = SafetyPolicy.defaults().version();
  }

  @Benchmark
  public String key() {
    return CacheKeys.of(request, OfflineStoryModel.ID, templateVersion, policyVersion);
  }
}
