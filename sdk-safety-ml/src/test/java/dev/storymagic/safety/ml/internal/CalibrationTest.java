package dev.storymagic.safety.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyStage;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped hate/harassment head's probabilities mean what they say on held-out text it was
 * neither trained nor calibrated on: a fixed slice of the test split of the Davidson tweets (every
 * 8th row), whose positives are common enough for a reliability check.
 */
class CalibrationTest {
  @Test
  void hateHarassmentProbabilitiesMatchObservedRatesOnHeldOutText() throws Exception {
    Path data = Path.of("..", "safety-eval", "data", "test", "davidson.jsonl");
    assertThat(data).as("the labelled data of safety-eval").exists();
    Heads heads = Heads.builtIn();
    LocalSafetyClassifier lexicon = LocalSafetyClassifier.create();
    MiniLmEncoder encoder = SharedEncoder.acquire(1);
    try {
      LearnedScanner scanner = new LearnedScanner(encoder, heads, 8);
      ObjectMapper json = new ObjectMapper();
      double sumP = 0, sumY = 0, brier = 0;
      int n = 0;
      double[] binP = new double[2], binY = new double[2];
      int[] binN = new int[2];
      List<JsonNode> rows = new java.util.ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(data)) {
        int i = 0;
        for (String line = in.readLine(); line != null; line = in.readLine(), i++) {
          if (i % 8 == 0) {
            rows.add(json.readTree(line));
          }
        }
      }
      for (JsonNode r : rows) {
        String text = r.path("text").asText();
        boolean y =
            r.path("labels").toString().contains("hate")
                || r.path("labels").toString().contains("harassment");
        double p =
            scanner
                .scan(
                    text,
                    SafetyStage.OUTPUT,
                    LexiconSource.findings(lexicon, text, SafetyStage.OUTPUT))
                .stream()
                .filter(g -> g.head().group().equals("hate-harassment"))
                .findFirst()
                .orElseThrow()
                .probability();
        sumP += p;
        sumY += y ? 1 : 0;
        brier += (p - (y ? 1 : 0)) * (p - (y ? 1 : 0));
        int bin = p < 0.5 ? 0 : 1;
        binP[bin] += p;
        binY[bin] += y ? 1 : 0;
        binN[bin]++;
        n++;
      }
      double base = sumY / n;
      assertThat(n).isGreaterThan(150);
      // Calibrated on average: the mean probability is near the observed rate.
      assertThat(Math.abs(sumP / n - base)).isLessThan(0.1);
      // Informative: better than always predicting the base rate.
      assertThat(brier / n).isLessThan(base * (1 - base));
      // Ordered: texts scored over 0.5 are harmful more often than those under it, and the two
      // halves
      // are each within 0.2 of their mean probability.
      for (int b = 0; b < 2; b++) {
        if (binN[b] >= 20) {
          assertThat(Math.abs(binP[b] / binN[b] - binY[b] / binN[b]))
              .as("bin " + b)
              .isLessThan(0.2);
        }
      }
      assertThat(binY[1] / Math.max(1, binN[1])).isGreaterThan(binY[0] / Math.max(1, binN[0]));
    } finally {
      SharedEncoder.release(encoder);
    }
  }
}
