package dev.storymagic.benchmarks;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.Timings;
import dev.storymagic.internal.StoryIds;
import dev.storymagic.server.internal.StoryJson;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The answer of a cached {@code POST /api/stories}: a story delivered again under a new id, time
 * and timings, written by the reference server as JSON ({@code StoryJson.storyBytes}: the title,
 * paragraphs, text and shared fields from bytes written for an earlier delivery, the delivery's own
 * fields copied in). Each call makes the new delivery (an id, a record) and writes it.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar StoryAnswerBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoryAnswerBenchmark {
  private final StoryJson json = new StoryJson();
  private Story base;
  private Timings timings;

  @Setup
  public void setUp() {
    base = Stories.typical();
    timings = new Timings(Duration.ofNanos(412_345), Duration.ZERO);
    json.storyBytes(delivery()); // the shared fragments written once, as by an earlier answer
  }

  private Story delivery() {
    return base.deliveredAs(
        StoryIds.next(), base.request().withOwner("owner-1"), CacheTier.L1, timings, Instant.now());
  }

  @Benchmark
  public byte[] answer() {
    return json.storyBytes(delivery());
  }
}
