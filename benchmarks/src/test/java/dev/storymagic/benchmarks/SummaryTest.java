package dev.storymagic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

  /** A result in the shape JMH 1.37 writes with {@code -rf json}. */
  private static String result(
      String benchmark,
      String mode,
      String params,
      double score,
      String unit,
      double p50,
      double p99,
      String extraSecondary) {
    return String.format(
        Locale.ROOT,
        """
        {
          "jmhVersion": "1.37", "benchmark": "dev.storymagic.benchmarks.%s", "mode": "%s", "threads": 1,
          "forks": 1, "params": {%s},
          "primaryMetric": {
            "score": %s, "scoreError": "NaN", "scoreConfidence": ["NaN", "NaN"],
            "scorePercentiles": {"0.0": 1.0, "50.0": %s, "90.0": %s, "99.0": %s, "100.0": %s},
            "scoreUnit": "%s", "rawData": [[1.0]]
          },
          "secondaryMetrics": {
            "gc.alloc.rate.norm": {"score": 1234.5, "scoreError": "NaN", "scoreUnit": "B/op"},
            "p0.50": {"score": %s, "scoreError": "NaN", "scoreUnit": "%s"}%s
          }
        }""",
        benchmark,
        mode,
        params,
        score,
        p50,
        p50,
        p99,
        p99,
        unit,
        p50,
        unit,
        extraSecondary);
  }

  /** A sample-mode result with no secondary metric beyond allocation and the median. */
  private static String sample(
      String benchmark, String params, double score, String unit, double p50, double p99) {
    return result(benchmark, "sample", params, score, unit, p50, p99, "");
  }

  /** The default pipeline's L1 hit: median 3 µs, p99 9 µs. */
  private static final String L1_HIT =
      sample("CacheBenchmark.l1Hit", "\"safety\": \"DEFAULT\"", 3.5, "us/op", 3.0, 9.0);

  private static List<JmhResult> parse(String... results) {
    return JmhResult.parse("[" + String.join(",", results) + "]");
  }

  @Test
  void parsesScorePercentilesAllocationAndParams() {
    List<JmhResult> results = parse(L1_HIT);

    JmhResult r = results.get(0);
    assertThat(r.shortName()).isEqualTo("CacheBenchmark.l1Hit");
    assertThat(r.className()).isEqualTo("CacheBenchmark");
    assertThat(r.method()).isEqualTo("l1Hit");
    assertThat(r.params()).containsExactly(Map.entry("safety", "DEFAULT"));
    assertThat(r.primary().score()).isEqualTo(3.5);
    assertThat(r.primary().error()).isNaN();
    assertThat(r.percentileNanos(50.0)).hasValue(3000.0);
    assertThat(r.percentileNanos(99.0)).hasValue(9000.0);
    assertThat(r.allocationPerOp())
        .hasValueSatisfying(m -> assertThat(m.score()).isEqualTo(1234.5));
  }

  @Test
  void percentilesAreIgnoredOutsideSampleMode() {
    JmhResult r =
        parse(result("CacheKeyBenchmark.key", "avgt", "", 0.8, "us/op", 0.8, 0.8, "")).get(0);

    assertThat(r.percentiles()).isEmpty();
    assertThat(r.percentileNanos(50.0)).isEmpty();
  }

  @Test
  void blankReportHasNoResults() {
    assertThat(JmhResult.parse("  \n")).isEmpty();
    assertThat(JmhResult.parse("[]")).isEmpty();
  }

  @Test
  void rejectsWhatIsNotAJmhReport() {
    assertThatThrownBy(() -> JmhResult.parse("{\"benchmark\": \"x\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a JMH JSON report: expected an array of results");
    assertThatThrownBy(() -> JmhResult.parse("[{\"mode\": \"sample\"}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JMH result without 'benchmark'");
    assertThatThrownBy(() -> JmhResult.parse("[{"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a JMH JSON report:");
  }

  @Test
  void resultsTableShowsMedianP99AndAllocationButNotRepeatedPercentiles() {
    String table =
        Summary.resultsTable(
            parse(
                result(
                    "CacheBenchmark.l1Hit",
                    "sample",
                    "\"safety\": \"DEFAULT\"",
                    3.5,
                    "us/op",
                    3.0,
                    9.0,
                    ", \"chars\": {\"score\": 45.5, \"scoreError\": 1.0, \"scoreUnit\": \"ops/us\"}")));

    assertThat(table)
        .contains(
            "| CacheBenchmark.l1Hit | safety=DEFAULT | sample | 1 | 3.50 |  | us/op | 3.00 | 9.00 "
                + "| 1,235 | chars 45.5 ops/us |");
    assertThat(table).doesNotContain("p0.50");
  }

  @Test
  void addedLatencySubtractsTheDelayAndPairsTheBareHttpBaseline() {
    String params = "\"delayMs\": \"50\", \"transport\": \"PLAIN\"";
    List<JmhResult> results =
        parse(
            sample("OpenAiBenchmark.generate", params, 51.0, "ms/op", 50.9, 52.5),
            sample("OpenAiBenchmark.bareHttp", params, 50.6, "ms/op", 50.5, 51.0),
            sample(
                "OpenAiBenchmark.bareHttp",
                "\"delayMs\": \"0\", \"transport\": \"PLAIN\"",
                0.3,
                "ms/op",
                0.25,
                0.6));

    List<Summary.AddedLatency> added = Summary.addedLatencies(results);

    assertThat(added).hasSize(1);
    Summary.AddedLatency a = added.get(0);
    assertThat(a.addedP50Ms()).isCloseTo(0.9, within(1e-9));
    assertThat(a.addedP99Ms()).isCloseTo(2.5, within(1e-9));
    assertThat(a.bareP50Ms()).hasValue(50.5);
    assertThat(Summary.targetsTable(results))
        .contains(
            "over a bare HTTP call of the same stub (OpenAI path), median | ≤ 1.00 ms | 0.400 ms "
                + "(OpenAiBenchmark.generate delayMs=50 transport=PLAIN) | met |")
        .contains(
            "over a bare HTTP call of the same stub (OpenAI path), p99 | ≤ 3.00 ms | 1.50 ms "
                + "(OpenAiBenchmark.generate delayMs=50 transport=PLAIN) | met |");
    assertThat(Summary.addedLatencyTable(results))
        .contains(
            "| OpenAiBenchmark.generate | delayMs=50 transport=PLAIN | 50.9 | 52.5 | 0.900 | 2.50 | 50.5 | 51.0 "
                + "| 0.400 | 1.50 |");
  }

  @Test
  void targetsReportTheWorstVariantAndWhetherItIsMet() {
    String safetyChars =
        ", \"chars\": {\"score\": 38.0, \"scoreError\": 1.0, \"scoreUnit\": \"ops/us\"}";
    List<JmhResult> results =
        parse(
            L1_HIT,
            sample("CacheBenchmark.l1Hit", "\"safety\": \"PASS_THROUGH\"", 9.5, "us/op", 9.0, 9.0),
            sample("OpenAiBenchmark.generate", "\"delayMs\": \"0\"", 0.5, "ms/op", 0.4, 1.0),
            sample("OpenAiBenchmark.generate", "\"delayMs\": \"50\"", 51.5, "ms/op", 51.2, 54.0),
            result("SafetyBenchmark.scan", "thrpt", "", 0.01, "ops/us", 0.01, 0.01, safetyChars));

    String table = Summary.targetsTable(results);

    // The pass-through variant isolates costs; the target applies to the default pipeline.
    assertThat(table)
        .contains(
            "| L1 hit through StoryMagic.generate, median | ≤ 5.00 µs | 3.00 µs "
                + "(CacheBenchmark.l1Hit safety=DEFAULT) | met |");
    assertThat(table)
        .contains(
            "| L2 (Redis) hit through StoryMagic.generate, median | ≤ 200 µs | not run | — |");
    assertThat(table)
        .contains(
            "median | ≤ 1.00 ms | 1.20 ms (OpenAiBenchmark.generate delayMs=50) | **missed** |");
    assertThat(table)
        .contains("p99 | ≤ 3.00 ms | 4.00 ms (OpenAiBenchmark.generate delayMs=50) | **missed** |");
    // No bare-HTTP baseline ran beside these results.
    assertThat(table)
        .contains(
            "| SDK latency over a bare HTTP call of the same stub (OpenAI path), median | ≤ 1.00 ms "
                + "| not run | — |");
    assertThat(table)
        .contains(
            "| Safety scan throughput | ≥ 40.0 M chars/s | 38.0 M chars/s (SafetyBenchmark.scan) "
                + "| **missed** |");
  }

  @Test
  void unitsConvertToNanosAndPerSecond() {
    assertThat(Units.nanosPer("us/op")).isEqualTo(1e3);
    assertThat(Units.nanosPer("ms/op")).isEqualTo(1e6);
    assertThat(Units.perSecond(2.0, "ops/us")).isEqualTo(2e6);
    assertThatThrownBy(() -> Units.nanosPer("ops/s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a time per operation: ops/s");
    assertThatThrownBy(() -> Units.nanosPer("fortnights/op"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown time unit: fortnights");
  }

  @Test
  void numbersKeepAboutThreeSignificantDigits() {
    assertThat(Summary.number(12345.6)).isEqualTo("12,346");
    assertThat(Summary.number(45.67)).isEqualTo("45.7");
    assertThat(Summary.number(4.567)).isEqualTo("4.57");
    assertThat(Summary.number(0.4567)).isEqualTo("0.457");
    assertThat(Summary.number(0.0012345)).isEqualTo("0.00123");
    assertThat(Summary.number(Double.NaN)).isEqualTo("NaN");
  }
}
