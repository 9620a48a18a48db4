package dev.storymagic.benchmarks;

import dev.storymagic.SafetyCategory;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.internal.PromptRenderer;
import dev.storymagic.spi.Prompt;
import dev.storymagic.spi.PromptTemplates;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Rendering the default prompt templates for a request: the system message with the age rules and
 * the user message with every user-text field quoted and sanitised. {@code STRICTER} is a retry
 * after a safety violation, which adds the stricter instructions.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PromptRenderBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PromptRenderBenchmark {

  /** Which attempt is rendered. */
  public enum Attempt {
    FIRST(EnumSet.noneOf(SafetyCategory.class)),
    STRICTER(EnumSet.of(SafetyCategory.FRIGHTENING, SafetyCategory.VIOLENCE));

    @SuppressWarnings("ImmutableEnumChecker") // never changed after construction
    final Set<SafetyCategory> rejected;

    Attempt(Set<SafetyCategory> rejected) {
      this.rejected = rejected;
    }
  }

  @Param public Attempt attempt;

  private PromptRenderer renderer;
  private StoryRequest request;
  private Theme theme;

  @Setup
  public void setUp() {
    renderer = new PromptRenderer(PromptTemplates.defaults());
    request = Requests.typical();
    theme = ThemeCatalog.defaults().find(request.theme()).orElseThrow();
  }

  @Benchmark
  public Prompt render() {
    return renderer.render(
        request, theme, request.length().band(request.ageGroup()), attempt.rejected);
  }
}
