package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.spi.SafetyStage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {

  private static Evaluation evaluation(Confusion binary, Rate storiesBlocked) {
    Evaluation.AgeResult a =
        new Evaluation.AgeResult(
            AgeGroup.AGES_3_5,
            binary,
            Map.of(SafetyStage.OUTPUT, binary),
            new Rate(binary.tp(), binary.positives()),
            Map.of(CategoryGroup.HATE, new Evaluation.CategoryResult(binary, binary.recall())),
            Map.of("gutenberg", storiesBlocked),
            Map.of());
    return new Evaluation(
        "fake", "1", "p", "test", 100, List.of(a), new Evaluation.Throughput(1, 1, 1));
  }

  @Test
  void figuresCarryTheirDirectionAndLeaveOutSmallDenominators() {
    Map<String, Figures.Figure> f =
        Figures.of(evaluation(new Confusion(40, 10, 20, 30), new Rate(1, 50)), 20, 0.02);
    assertThat(f.get("3-5/binary/recall"))
        .isEqualTo(new Figures.Figure(0.6667, 0.02, Figures.Better.HIGHER));
    assertThat(f.get("3-5/binary/f1").value()).isEqualTo(0.7273);
    assertThat(f.get("3-5/benign-blocked/gutenberg"))
        .isEqualTo(new Figures.Figure(0.02, 0.02, Figures.Better.LOWER));
    assertThat(f.get("3-5/category/hate/recall")).isNotNull();
    Map<String, Figures.Figure> strict =
        Figures.of(evaluation(new Confusion(40, 10, 20, 30), new Rate(1, 50)), 61, 0.02);
    assertThat(strict)
        .doesNotContainKey("3-5/binary/recall")
        .doesNotContainKey("3-5/benign-blocked/gutenberg");
  }

  @Test
  void aDropBeyondTheToleranceIsARegressionAndASmallerOneIsNot() {
    Figures.Baseline committed =
        new Figures.Baseline(
            "fake",
            "test",
            Figures.of(evaluation(new Confusion(40, 10, 20, 30), new Rate(1, 50)), 20, 0.02));
    // Recall 40/60 -> 39/60 is a drop of 0.017: within tolerance.
    assertThat(
            Figures.regressions(
                committed, evaluation(new Confusion(39, 10, 21, 30), new Rate(1, 50))))
        .isEmpty();
    // 35/60 is a drop of 0.083.
    assertThat(
            Figures.regressions(
                committed, evaluation(new Confusion(35, 10, 25, 30), new Rate(1, 50))))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("3-5/binary/recall: 0.5833, committed 0.6667 (higher is better"));
  }

  @Test
  void moreBenignStoriesBlockedIsARegressionAndFewerIsNot() {
    Figures.Baseline committed =
        new Figures.Baseline(
            "fake",
            "test",
            Figures.of(evaluation(new Confusion(40, 10, 20, 30), new Rate(5, 50)), 20, 0.02));
    assertThat(
            Figures.regressions(
                committed, evaluation(new Confusion(40, 10, 20, 30), new Rate(0, 50))))
        .isEmpty();
    assertThat(
            Figures.regressions(
                committed, evaluation(new Confusion(40, 10, 20, 30), new Rate(8, 50))))
        .containsExactly(
            "3-5/benign-blocked/gutenberg: 0.1600, committed 0.1000 (lower is better, tolerance 0.0200)");
  }

  @Test
  void aFigureThatDisappearsIsARegression() {
    Figures.Baseline committed =
        new Figures.Baseline(
            "fake",
            "test",
            Map.of("9-12/binary/recall", new Figures.Figure(0.5, 0.02, Figures.Better.HIGHER)));
    assertThat(
            Figures.regressions(
                committed, evaluation(new Confusion(40, 10, 20, 30), new Rate(5, 50))))
        .containsExactly(
            "9-12/binary/recall: NaN, committed 0.5000 (higher is better, tolerance 0.0200)");
  }

  @Test
  void baselineRoundTripsThroughItsFile(@TempDir Path dir) {
    Figures.Baseline b =
        new Figures.Baseline(
            "fake",
            "test",
            Figures.of(evaluation(new Confusion(40, 10, 20, 30), new Rate(5, 50)), 20, 0.03));
    Path file = dir.resolve("sub/fake.json");
    Figures.write(b, file);
    assertThat(Figures.read(file)).isEqualTo(b);
  }
}
