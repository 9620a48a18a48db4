package dev.storymagic.benchmarks;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.OfflineStoryModel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-process cache paths through {@link StoryMagic#generate}, with the offline engine and the
 * default Caffeine L1:
 *
 * <ul>
 *   <li>{@code l1Hit}: a fixed request whose story was cached in setup, so every call is an L1 hit
 *       (validation, input safety, key hashing, the lookup and delivery);
 *   <li>{@code miss}: a request with a new cache key on every call (a counter in the moral): L1
 *       miss, generation, output safety, quality checks and the cache write;
 *   <li>{@code singleFlight}: eight threads, each group of eight consecutive calls asking for the
 *       same new story, so the first generates and the others either wait for it in flight or find
 *       it cached. Teardown checks that far fewer stories were generated than requested.
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar CacheBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar 'CacheBenchmark.l1Hit' -p safety=DEFAULT
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheBenchmark {
  /** Threads asking for the same story at once in {@link #singleFlight}. */
  static final int CONTENDERS = 8;

  @Param public Safety safety;

  private CountingModel model;
  private StoryMagic magic;
  private StoryRequest cached;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  @Setup
  public void setUp() {
    model = new CountingModel(OfflineStoryModel.create());
    magic = safety.apply(StoryMagic.builder().model(model)).build();
    cached = Requests.typical();
    magic.generate(cached);
    Story hit = magic.generate(cached);
    if (hit.cacheTier() != CacheTier.L1) {
      throw new IllegalStateException(
          "expected the warmed request to be an L1 hit, got " + hit.cacheTier());
    }
  }

  @Setup(Level.Iteration)
  public void resetCounts() {
    model.reset();
    requests.set(0);
  }

  @TearDown(Level.Iteration)
  public void checkSingleFlight() {
    long asked = requests.get();
    if (asked == 0) {
      return;
    }
    long generated = model.calls();
    System.out.printf(
        "%n  single-flight: %d requests, %d generations (%.3f per request; ideal %.3f)%n",
        asked, generated, (double) generated / asked, 1.0 / CONTENDERS);
    if (generated * 2 > asked) {
      throw new IllegalStateException(
          "single-flight is not sharing generations: "
              + generated
              + " generations for "
              + asked
              + " requests in groups of "
              + CONTENDERS);
    }
  }

  @TearDown
  public void tearDown() {
    magic.close();
  }

  @Benchmark
  public Story l1Hit() {
    return magic.generate(cached);
  }

  @Benchmark
  public Story miss() {
    return magic.generate(Requests.typicalNumbered(sequence.incrementAndGet()));
  }

  @Benchmark
  @Threads(CONTENDERS)
  public Story singleFlight() {
    requests.incrementAndGet();
    long round = sequence.getAndIncrement() / CONTENDERS;
    return magic.generate(Requests.typicalNumbered(round));
  }
}
