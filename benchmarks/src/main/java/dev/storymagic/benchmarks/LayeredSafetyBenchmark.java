package dev.storymagic.benchmarks;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.safety.ml.LayeredSafetyFilter;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
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
 * The layered safety filter (lexicon + MiniLM on ONNX Runtime + trained heads) beside the lexicon
 * alone, on one core ({@code intraOpThreads(1)}, one benchmark thread): a 60-word input field (the
 * input check of a request) and a 1,000-word story (the output check). The scan cache is off, so
 * every call embeds the text; {@code SampleTime} reports the median and percentiles.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LayeredSafetyBenchmark.check -f 1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LayeredSafetyBenchmark {
  /** What is checked. */
  public enum Text {
    FIELD_60_WORDS,
    STORY_1000_WORDS
  }

  /** Which filter checks it. */
  public enum Filter {
    LEXICON,
    LAYERED
  }

  @Param public Text text;

  @Param public Filter filter;

  private SafetyFilter checker;
  private String input;
  private SafetyContext context;

  @Setup
  public void setUp() {
    String story = Texts.words(Texts.story(), 1_000);
    input = text == Text.STORY_1000_WORDS ? story : Texts.words(story, 60).replace("\n\n", " ");
    SafetyStage stage = text == Text.STORY_1000_WORDS ? SafetyStage.OUTPUT : SafetyStage.INPUT;
    context = new SafetyContext(stage, AgeGroup.AGES_6_8, SafetyPolicy.defaults());
    checker =
        filter == Filter.LEXICON
            ? LocalSafetyClassifier.create()
            : LayeredSafetyFilter.builder().intraOpThreads(1).scanCacheChars(0).build().warmUp();
    SafetyVerdict v = checker.check(input, context);
    if (v.blocked()) {
      throw new IllegalStateException("the benchmark text should pass: " + v.violations());
    }
  }

  @TearDown
  public void tearDown() {
    if (checker instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Benchmark
  public SafetyVerdict check() {
    return checker.check(input, context);
  }
}
