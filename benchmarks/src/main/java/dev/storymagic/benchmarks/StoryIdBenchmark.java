package dev.storymagic.benchmarks;

import dev.storymagic.internal.StoryIds;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A new story id, as every story served (from the cache too) gets one: {@code UUID.randomUUID} (the
 * platform's SecureRandom, NativePRNG on Linux, 16 bytes per call under its lock) against {@code
 * StoryIds} (a DRBG read 64 ids at a time), on one thread and on two at once, as the server's two
 * request carriers call it.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar StoryIdBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoryIdBenchmark {

  /** Where the id's random bits come from. */
  public enum Source {
    /** {@code UUID.randomUUID().toString()}. */
    RANDOM_UUID,
    /** {@code StoryIds.next()}. */
    STORY_IDS
  }

  @Param public Source source;

  @Benchmark
  public String oneThread() {
    return next();
  }

  @Benchmark
  @Threads(2)
  public String twoThreads() {
    return next();
  }

  private String next() {
    return source == Source.RANDOM_UUID ? UUID.randomUUID().toString() : StoryIds.next();
  }
}
