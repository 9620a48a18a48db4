package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.spi.SafetyFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CI regression check: every filter with a committed baseline ({@code
 * src/test/resources/regression/<filter>.json}) is scored on the fixed slice of the test split
 * ({@code ci-slice.ids}: 40 rows per source family) and must not fall below any committed figure by
 * more than its tolerance. The baseline records what the filter measured, not a target chosen to
 * pass: a change that makes a figure better is free to re-commit it; one that makes it worse fails
 * here.
 *
 * <p>To re-commit the figures after a deliberate change (README, "Regression check"): {@code
 * EvaluateSafety --filter NAME --split test --ids src/test/resources/regression/ci-slice.ids
 * --write-baseline src/test/resources/regression/NAME.json}.
 */
class SafetyRegressionTest {
  private static final Path DIR = Path.of("src", "test", "resources", "regression");
  private static final Path DATA = Path.of("data");

  static Stream<Path> baselines() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("baselines in %s", DIR.toAbsolutePath()).isNotEmpty();
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("baselines")
  void noFigureDropsBelowItsCommittedValue(Path file) {
    Figures.Baseline committed = Figures.read(file);
    assertThat(file.getFileName().toString()).isEqualTo(committed.filter() + ".json");
    List<LabelledText> slice =
        Dataset.only(
            Dataset.split(DATA, "test"), EvaluateSafety.readIds(DIR.resolve("ci-slice.ids")));
    assertThat(committed.selection()).isEqualTo("split test, ids ci-slice.ids");

    SafetyFilterProvider provider = FilterRegistry.load().get(committed.filter());
    SafetyFilter filter = provider.create();
    Evaluation now =
        new Evaluator(filter, provider.policy(), 1)
            .evaluate(committed.filter(), committed.selection(), slice, List.of(AgeGroup.values()));

    assertThat(committed.figures()).as("committed figures").hasSizeGreaterThan(20);
    assertThat(Figures.regressions(committed, now))
        .as(
            "figures of '%s' on the CI slice that dropped below %s by more than their tolerance",
            committed.filter(), file)
        .isEmpty();
  }
}
