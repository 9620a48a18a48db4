package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.AgeGroup;
import dev.storymagic.spi.SafetyStage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static Evaluation evaluation(String filter, Confusion binary) {
    Evaluation.AgeResult a =
        new Evaluation.AgeResult(
            AgeGroup.AGES_6_8,
            binary,
            Map.of(SafetyStage.INPUT, binary),
            new Rate(binary.tp(), binary.positives()),
            Map.of(
                CategoryGroup.PROMPT_INJECTION,
                new Evaluation.CategoryResult(binary, binary.recall())),
            Map.of("stories", new Rate(0, 40)),
            Map.of("attacks", binary.recall()));
    return new Evaluation(
        filter,
        "v1",
        "default-1",
        "split test",
        100,
        List.of(a),
        new Evaluation.Throughput(2_000_000, 200, 1_000_000_000));
  }

  @Test
  void markdownPutsFiltersSideBySideWithIntervals() {
    String md =
        Report.markdown(
            List.of(
                evaluation("a", new Confusion(40, 10, 20, 30)),
                evaluation("b", new Confusion(0, 0, 60, 40))));
    assertThat(md)
        .contains("| age | figure | a | b |")
        .contains(
            "| 6-8 | binary F1 / P / R (any harm) | 0.727 / 0.800 / 0.667 | 0.000 / – / 0.000 |")
        .contains(
            "| 6-8 | benign blocked: stories | 0.0 % [0.0, 8.8] (0/40) | 0.0 % [0.0, 8.8] (0/40) |")
        .contains("| prompt-injection | 60 | 50 | 0.800 [0.670, 0.888] | 0.667 [0.541, 0.773] |")
        .contains("2.0 M, 200 |");
  }

  @Test
  void jsonHasEveryCountAndNullForUndefinedFigures() throws Exception {
    JsonNode root =
        new ObjectMapper()
            .readTree(Report.json(List.of(evaluation("b", new Confusion(0, 0, 60, 40)))));
    JsonNode binary = root.get(0).get("ages").get("6-8").get("binary");
    assertThat(binary.get("fn").asLong()).isEqualTo(60);
    assertThat(binary.get("precision").get("value").isNull()).isTrue();
    assertThat(binary.get("precision").get("low").asDouble()).isZero();
    assertThat(binary.get("recall").get("high").asDouble())
        .isCloseTo(0.0602, org.assertj.core.api.Assertions.within(1e-4));
    assertThat(root.get(0).get("throughput").get("charsPerSecond").asDouble()).isEqualTo(2_000_000);
  }
}
