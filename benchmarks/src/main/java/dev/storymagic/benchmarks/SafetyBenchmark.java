package dev.storymagic.benchmarks;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LocalSafetyClassifier} on a 1,000-word story, as the output check runs it: {@code scan}
 * reports the latency of one check with percentiles, {@code scanThroughput} the characters checked
 * per second (the {@code chars} counter, in characters per microsecond). {@code CLEAN} is a safe
 * story; {@code WITH_FINDINGS} has a few sentences of conflict in it, so findings are built too.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SafetyBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SafetyBenchmark {
  static final int WORDS = 1_000;
  private static final String CONFLICT =
      "The pirate punched the wall and shouted that he would kill the stupid crew. ";

  /** The story checked. */
  public enum Text {
    CLEAN,
    WITH_FINDINGS
  }

  @Param public Text text;

  private String story;
  private SafetyContext context;
  private LocalSafetyClassifier classifier;

  /** Characters checked, reported per unit of time next to the throughput. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Chars {
    public long chars;

    @Setup(Level.Iteration)
    public void reset() {
      chars = 0;
    }
  }

  @Setup
  public void setUp() {
    classifier = LocalSafetyClassifier.create();
    context = new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults());
    String base = Texts.words(Texts.story(), WORDS);
    story = text == Text.CLEAN ? base : withConflict(base);
    SafetyVerdict verdict = classifier.check(story, context);
    if ((text == Text.CLEAN) != verdict.findings().isEmpty()) {
      throw new IllegalStateException(
          "expected "
              + (text == Text.CLEAN ? "no findings" : "findings")
              + " in the "
              + text
              + " story, got "
              + verdict.findings());
    }
  }

  /** Puts the conflict sentence at the start of every fifth paragraph. */
  private static String withConflict(String base) {
    String[] paragraphs = base.split("\n\n");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < paragraphs.length; i++) {
      if (i > 0) {
        out.append("\n\n");
      }
      out.append(i % 5 == 2 ? CONFLICT : "").append(paragraphs[i]);
    }
    return out.toString();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public SafetyVerdict scan() {
    return classifier.check(story, context);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  public SafetyVerdict scanThroughput(Chars chars) {
    chars.chars += story.length();
    return classifier.check(story, context);
  }
}
