package dev.storymagic.safety.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.safety.eval.Dataset;
import dev.storymagic.safety.eval.EvaluateSafety;
import dev.storymagic.safety.eval.Evaluation;
import dev.storymagic.safety.eval.Evaluator;
import dev.storymagic.safety.eval.Figures;
import dev.storymagic.safety.eval.FilterRegistry;
import dev.storymagic.safety.eval.LabelledText;
import dev.storymagic.safety.eval.SafetyFilterProvider;
import dev.storymagic.spi.SafetyFilter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness's CI regression check for the layered filter: scored on the harness's fixed slice of
 * the test split, no committed figure ({@code src/test/resources/regression/layered.json}) may drop
 * by more than its tolerance. The figures are what the shipped heads measured, not targets; after
 * retraining, re-commit them with the command in the README.
 */
class LayeredRegressionTest {
  private static final Path DATA = Path.of("..", "safety-eval", "data");
  private static final Path SLICE =
      Path.of("..", "safety-eval", "src", "test", "resources", "regression", "ci-slice.ids");

  @Test
  void noFigureOfTheLayeredFilterDropsBelowItsCommittedValue() throws Exception {
    Figures.Baseline committed =
        Figures.read(Path.of("src", "test", "resources", "regression", "layered.json"));
    assertThat(committed.filter()).isEqualTo("layered");
    assertThat(committed.selection()).isEqualTo("split test, ids ci-slice.ids");
    List<LabelledText> slice =
        Dataset.only(Dataset.split(DATA, "test"), EvaluateSafety.readIds(SLICE));

    SafetyFilterProvider provider = FilterRegistry.load().get("layered");
    SafetyFilter filter = provider.create();
    // A failing close is added to a failing assertion as suppressed rather than replacing it.
    try (AutoCloseable closing = filter instanceof AutoCloseable c ? c : () -> {}) {
      Evaluation now =
          new Evaluator(filter, provider.policy(), 1)
              .evaluate(
                  committed.filter(), committed.selection(), slice, List.of(AgeGroup.values()));
      assertThat(committed.figures()).as("committed figures").hasSizeGreaterThan(20);
      assertThat(Figures.regressions(committed, now))
          .as(
              "figures of the layered filter on the CI slice that dropped by more than their tolerance")
          .isEmpty();
    }
  }
}
