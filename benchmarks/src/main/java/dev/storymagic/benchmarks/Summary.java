package dev.storymagic.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints a markdown summary of JMH JSON reports: every result with its percentiles and allocation
 * per operation, the latency the SDK adds over the upstream on the OpenAI path, and the targets.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.storymagic.benchmarks.Summary benchmarks/results/full-*.json
 * }</pre>
 */
public final class Summary {
  /** The parameter that names the upstream's delay, in milliseconds, on the OpenAI path. */
  static final String DELAY_PARAM = "delayMs";

  /** The baseline method beside each OpenAI benchmark: a bare HTTP call of the same stub. */
  static final String BARE_HTTP_METHOD = "bareHttp";

  private static final double NANOS_PER_MS = 1e6;
  private static final Pattern PERCENTILE_METRIC = Pattern.compile("p\\d+\\.\\d+");

  private Summary() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Summary <jmh-result.json>...");
      System.exit(2);
    }
    List<JmhResult> results = new ArrayList<>();
    for (String arg : args) {
      results.addAll(JmhResult.parse(Files.readString(Path.of(arg), StandardCharsets.UTF_8)));
    }
    System.out.print(markdown(results));
  }

  /** The whole summary: results, SDK added latency on the OpenAI path, and targets. */
  static String markdown(List<JmhResult> results) {
    StringBuilder out = new StringBuilder();
    out.append(resultsTable(results)).append('\n');
    String added = addedLatencyTable(results);
    if (!added.isEmpty()) {
      out.append(added).append('\n');
    }
    out.append(targetsTable(results));
    return out.toString();
  }

  // ------------------------------------------------------------------ results

  static String resultsTable(List<JmhResult> results) {
    StringBuilder out = new StringBuilder("## Results\n\n");
    if (results.isEmpty()) {
      return out.append("No results.\n").toString();
    }
    out.append(
        "| Benchmark | Params | Mode | Thr | Score | Error | Units | p50 | p99 | Alloc B/op | Other |\n");
    out.append("|---|---|---|--:|--:|--:|---|--:|--:|--:|---|\n");
    List<JmhResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparing(JmhResult::shortName).thenComparing(r -> params(r)));
    for (JmhResult r : sorted) {
      out.append("| ")
          .append(r.shortName())
          .append(" | ")
          .append(params(r))
          .append(" | ")
          .append(r.mode())
          .append(" | ")
          .append(r.threads())
          .append(" | ")
          .append(number(r.primary().score()))
          .append(" | ")
          .append(Double.isNaN(r.primary().error()) ? "" : "± " + number(r.primary().error()))
          .append(" | ")
          .append(r.primary().unit())
          .append(" | ")
          .append(percentile(r, 50.0))
          .append(" | ")
          .append(percentile(r, 99.0))
          .append(" | ")
          .append(r.allocationPerOp().map(m -> number(m.score())).orElse(""))
          .append(" | ")
          .append(others(r))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String params(JmhResult r) {
    return r.params().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static String percentile(JmhResult r, double p) {
    Double value = r.percentiles().get(p);
    return value == null ? "" : number(value);
  }

  /**
   * Secondary metrics other than the GC profiler's and the percentiles JMH repeats as secondary
   * metrics, such as a characters-per-second counter.
   */
  private static String others(JmhResult r) {
    return r.secondary().entrySet().stream()
        .filter(
            e -> !e.getKey().startsWith("gc.") && !PERCENTILE_METRIC.matcher(e.getKey()).matches())
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + " " + number(e.getValue().score()) + " " + e.getValue().unit())
        .collect(Collectors.joining(", "));
  }

  // ------------------------------------------------------------------ OpenAI added latency

  /**
   * A result on the OpenAI path with the upstream delay subtracted, beside its bare-HTTP baseline.
   */
  record AddedLatency(
      JmhResult result, double delayMs, double p50Ms, double p99Ms, Optional<JmhResult> bare) {
    double addedP50Ms() {
      return p50Ms - delayMs;
    }

    double addedP99Ms() {
      return p99Ms - delayMs;
    }

    OptionalDouble bareP50Ms() {
      return bareMs(50.0);
    }

    OptionalDouble bareP99Ms() {
      return bareMs(99.0);
    }

    private OptionalDouble bareMs(double percentile) {
      if (bare.isEmpty()) {
        return OptionalDouble.empty();
      }
      OptionalDouble nanos = bare.get().percentileNanos(percentile);
      return nanos.isPresent()
          ? OptionalDouble.of(nanos.getAsDouble() / NANOS_PER_MS)
          : OptionalDouble.empty();
    }
  }

  /**
   * Every sample-mode result with a {@value #DELAY_PARAM} parameter that is not itself the
   * baseline.
   */
  static List<AddedLatency> addedLatencies(List<JmhResult> results) {
    List<AddedLatency> added = new ArrayList<>();
    for (JmhResult r : results) {
      String delay = r.params().get(DELAY_PARAM);
      if (delay == null || r.method().equals(BARE_HTTP_METHOD) || r.percentiles().isEmpty()) {
        continue;
      }
      Optional<JmhResult> bare =
          results.stream()
              .filter(
                  b -> b.className().equals(r.className()) && b.method().equals(BARE_HTTP_METHOD))
              .filter(b -> b.params().equals(r.params()))
              .findFirst();
      added.add(
          new AddedLatency(
              r,
              Double.parseDouble(delay),
              r.percentileNanos(50.0).orElseThrow() / NANOS_PER_MS,
              r.percentileNanos(99.0).orElseThrow() / NANOS_PER_MS,
              bare));
    }
    added.sort(
        Comparator.comparing((AddedLatency a) -> a.result().shortName())
            .thenComparing(a -> params(a.result())));
    return added;
  }

  static String addedLatencyTable(List<JmhResult> results) {
    List<AddedLatency> added = addedLatencies(results);
    if (added.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("## OpenAI path: latency the SDK adds (ms)\n\n");
    out.append(
        "`added` = measured − upstream delay. `over bare` = measured − a bare HTTP call of the same "
            + "WireMock stub in the same run, which also removes WireMock's and the loopback's own cost.\n\n");
    out.append(
        "| Benchmark | Params | p50 | p99 | added p50 | added p99 | bare p50 | bare p99 | over bare p50 | over bare p99 |\n");
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (AddedLatency a : added) {
      OptionalDouble bareP50 = a.bareP50Ms();
      OptionalDouble bareP99 = a.bareP99Ms();
      out.append("| ")
          .append(a.result().shortName())
          .append(" | ")
          .append(params(a.result()))
          .append(" | ")
          .append(number(a.p50Ms()))
          .append(" | ")
          .append(number(a.p99Ms()))
          .append(" | ")
          .append(number(a.addedP50Ms()))
          .append(" | ")
          .append(number(a.addedP99Ms()))
          .append(" | ")
          .append(optional(bareP50))
          .append(" | ")
          .append(optional(bareP99))
          .append(" | ")
          .append(bareP50.isPresent() ? number(a.p50Ms() - bareP50.getAsDouble()) : "")
          .append(" | ")
          .append(bareP99.isPresent() ? number(a.p99Ms() - bareP99.getAsDouble()) : "")
          .append(" |\n");
    }
    return out.toString();
  }

  // ------------------------------------------------------------------ targets

  /**
   * A target of issue 8. {@code measure} picks the worst value over the results it applies to, and
   * names where it came from; empty when none of them ran.
   */
  record Target(
      String name,
      double limit,
      boolean atMost,
      String unit,
      Function<List<JmhResult>, Optional<Measured>> measure) {}

  /** A measured value and the result (with parameters) it was read from. */
  record Measured(double value, String source) {}

  static List<Target> targets() {
    return List.of(
        new Target(
            "L1 hit through StoryMagic.generate, median",
            5,
            true,
            "µs",
            rs -> worstMedianMicros(rs, "CacheBenchmark", "l1Hit")),
        new Target(
            "L2 (Redis) hit through StoryMagic.generate, median",
            200,
            true,
            "µs",
            rs -> worstMedianMicros(rs, "RedisCacheBenchmark", "l2Hit")),
        new Target(
            "SDK added latency over the upstream (OpenAI path), median",
            1,
            true,
            "ms",
            rs -> worstAdded(rs, AddedLatency::addedP50Ms)),
        new Target(
            "SDK added latency over the upstream (OpenAI path), p99",
            3,
            true,
            "ms",
            rs -> worstAdded(rs, AddedLatency::addedP99Ms)),
        new Target(
            "SDK latency over a bare HTTP call of the same stub (OpenAI path), median",
            1,
            true,
            "ms",
            rs -> worstOverBare(rs, 50.0)),
        new Target(
            "SDK latency over a bare HTTP call of the same stub (OpenAI path), p99",
            3,
            true,
            "ms",
            rs -> worstOverBare(rs, 99.0)),
        new Target(
            "Safety scan throughput",
            40,
            false,
            "M chars/s",
            rs ->
                worst(
                    rs,
                    r ->
                        r.className().equals("SafetyBenchmark")
                            && r.secondary().containsKey("chars"),
                    r -> {
                      JmhResult.Metric chars = r.secondary().get("chars");
                      return OptionalDouble.of(Units.perSecond(chars.score(), chars.unit()));
                    },
                    1e6,
                    false)));
  }

  /**
   * The largest median, in microseconds, of {@code method} in {@code className} run with the
   * default safety filter.
   */
  private static Optional<Measured> worstMedianMicros(
      List<JmhResult> results, String className, String method) {
    return worst(
        results,
        r -> r.className().equals(className) && r.method().equals(method) && defaultSafety(r),
        r -> r.percentileNanos(50.0),
        1e3,
        true);
  }

  private static boolean defaultSafety(JmhResult r) {
    return Objects.equals(r.params().getOrDefault("safety", "DEFAULT"), "DEFAULT");
  }

  /**
   * The largest (or, for a floor, smallest) value over the selected results, divided by {@code
   * scale}.
   */
  private static Optional<Measured> worst(
      List<JmhResult> results,
      java.util.function.Predicate<JmhResult> selects,
      Function<JmhResult, OptionalDouble> value,
      double scale,
      boolean largestIsWorst) {
    Measured worst = null;
    for (JmhResult r : results) {
      if (!selects.test(r)) {
        continue;
      }
      OptionalDouble v = value.apply(r);
      if (v.isEmpty()) {
        continue;
      }
      double scaled = v.getAsDouble() / scale;
      if (worst == null || (largestIsWorst ? scaled > worst.value() : scaled < worst.value())) {
        worst = new Measured(scaled, label(r));
      }
    }
    return Optional.ofNullable(worst);
  }

  private static Optional<Measured> worstAdded(
      List<JmhResult> results, Function<AddedLatency, Double> value) {
    return addedLatencies(results).stream()
        .map(a -> new Measured(value.apply(a), label(a.result())))
        .max(Comparator.comparingDouble(Measured::value));
  }

  /**
   * The largest difference to the bare-HTTP baseline at {@code percentile}, over the results that
   * have one.
   */
  private static Optional<Measured> worstOverBare(List<JmhResult> results, double percentile) {
    return addedLatencies(results).stream()
        .filter(a -> a.bare().isPresent())
        .map(
            a ->
                new Measured(
                    (percentile == 50.0 ? a.p50Ms() : a.p99Ms())
                        - (percentile == 50.0 ? a.bareP50Ms() : a.bareP99Ms()).getAsDouble(),
                    label(a.result())))
        .max(Comparator.comparingDouble(Measured::value));
  }

  private static String label(JmhResult r) {
    String params = params(r);
    return params.isEmpty() ? r.shortName() : r.shortName() + " " + params;
  }

  static String targetsTable(List<JmhResult> results) {
    StringBuilder out = new StringBuilder("## Targets\n\n");
    out.append("| Target | Goal | Measured (worst variant) | Status |\n");
    out.append("|---|---|---|---|\n");
    for (Target t : targets()) {
      Optional<Measured> m = t.measure().apply(results);
      out.append("| ")
          .append(t.name())
          .append(" | ")
          .append(t.atMost() ? "≤ " : "≥ ")
          .append(number(t.limit()))
          .append(' ')
          .append(t.unit())
          .append(" | ")
          .append(
              m.map(v -> number(v.value()) + " " + t.unit() + " (" + v.source() + ")")
                  .orElse("not run"))
          .append(" | ")
          .append(m.map(v -> met(t, v.value()) ? "met" : "**missed**").orElse("—"))
          .append(" |\n");
    }
    return out.toString();
  }

  static boolean met(Target t, double value) {
    return t.atMost() ? value <= t.limit() : value >= t.limit();
  }

  // ------------------------------------------------------------------ formatting

  private static String optional(OptionalDouble d) {
    return d.isPresent() ? number(d.getAsDouble()) : "";
  }

  /** Three significant digits or so, never in scientific notation. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    double abs = Math.abs(value);
    String pattern;
    if (abs >= 100 || abs == 0) {
      pattern = "%,.0f";
    } else if (abs >= 10) {
      pattern = "%.1f";
    } else if (abs >= 1) {
      pattern = "%.2f";
    } else if (abs >= 0.01) {
      pattern = "%.3f";
    } else {
      pattern = "%.5f";
    }
    return String.format(Locale.ROOT, pattern, value);
  }
}
