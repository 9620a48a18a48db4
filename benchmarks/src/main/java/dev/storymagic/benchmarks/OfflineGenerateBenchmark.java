package dev.storymagic.benchmarks;

import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
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
 * The whole pipeline with the offline engine and nothing cached: validation, input safety, cache
 * key, prompt rendering, generation, output safety, quality checks and the cache write. Each call
 * asks with {@code fresh(true)}, so the cache is never read and the engine writes a new story (a
 * random seed) every time; {@code STREAM} goes through {@link StoryMagic#stream} and its sentence
 * gate instead.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar OfflineGenerateBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OfflineGenerateBenchmark {

  /** How the story is asked for. */
  public enum Api {
    GENERATE,
    STREAM
  }

  @Param public Api api;

  @Param public Safety safety;

  private StoryMagic magic;
  private StoryRequest request;

  @Setup
  public void setUp() {
    magic = safety.apply(StoryMagic.builder()).build();
    request = Requests.typicalBuilder().fresh(true).build();
    Story first = generate();
    if (first.paragraphs().isEmpty()) {
      throw new IllegalStateException("the offline engine returned an empty story");
    }
  }

  @TearDown
  public void tearDown() {
    magic.close();
  }

  @Benchmark
  public Story generate() {
    return api == Api.GENERATE
        ? magic.generate(request)
        : magic.stream(request, Listeners.discarding()).join();
  }
}
