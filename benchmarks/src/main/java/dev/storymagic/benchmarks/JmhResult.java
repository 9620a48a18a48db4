package dev.storymagic.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One benchmark result from a JMH JSON report ({@code -rf json}).
 *
 * @param benchmark the fully qualified benchmark method
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param threads threads that ran it
 * @param params the {@code @Param} values, in report order
 * @param primary the score, its error and unit
 * @param percentiles latency percentiles (key 50.0 for the median) in the primary unit; empty
 *     unless the mode is {@code sample}
 * @param secondary secondary metrics by name, such as {@code gc.alloc.rate.norm}, without JMH's
 *     leading dot
 */
record JmhResult(
    String benchmark,
    String mode,
    int threads,
    Map<String, String> params,
    Metric primary,
    Map<Double, Double> percentiles,
    Map<String, Metric> secondary) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PACKAGE = JmhResult.class.getPackageName() + ".";

  /** A score with its error (NaN when JMH had too few samples) and unit, such as {@code us/op}. */
  record Metric(double score, double error, String unit) {}

  JmhResult {
    params = Map.copyOf(params);
    percentiles = Map.copyOf(percentiles);
    secondary = Map.copyOf(secondary);
  }

  /** Parses a JMH JSON report; a file holding no results (an empty run) parses to an empty list. */
  static List<JmhResult> parse(String json) {
    if (json.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JMH JSON report: " + e.getOriginalMessage(), e);
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException("not a JMH JSON report: expected an array of results");
    }
    List<JmhResult> results = new ArrayList<>();
    for (JsonNode node : root) {
      results.add(of(node));
    }
    return results;
  }

  private static JmhResult of(JsonNode node) {
    String benchmark = text(node, "benchmark");
    Map<String, String> params = new LinkedHashMap<>();
    JsonNode p = node.path("params");
    for (Iterator<Map.Entry<String, JsonNode>> it = p.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      params.put(e.getKey(), e.getValue().asText());
    }
    JsonNode primaryNode = node.path("primaryMetric");
    if (primaryNode.isMissingNode()) {
      throw new IllegalArgumentException("result of " + benchmark + " has no primaryMetric");
    }
    Map<Double, Double> percentiles = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            primaryNode.path("scorePercentiles").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      percentiles.put(Double.parseDouble(e.getKey()), e.getValue().asDouble());
    }
    Map<String, Metric> secondary = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            node.path("secondaryMetrics").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey().startsWith("\u00b7") ? e.getKey().substring(1) : e.getKey();
      secondary.put(name, metric(e.getValue()));
    }
    String mode = text(node, "mode");
    // JMH reports percentiles for every mode; they only mean latency percentiles in sample mode.
    return new JmhResult(
        benchmark,
        mode,
        node.path("threads").asInt(1),
        params,
        metric(primaryNode),
        "sample".equals(mode) ? percentiles : Map.of(),
        secondary);
  }

  private static Metric metric(JsonNode node) {
    JsonNode error = node.path("scoreError");
    // JMH writes "NaN" as a string when there were too few samples for an error.
    double err = error.isNumber() ? error.asDouble() : Double.NaN;
    return new Metric(
        node.path("score").asDouble(Double.NaN), err, node.path("scoreUnit").asText(""));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(
          "JMH result without '" + field + "': " + abbreviate(node.toString()));
    }
    return value.asText();
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  /** The benchmark without this package's prefix, such as {@code CacheBenchmark.l1Hit}. */
  String shortName() {
    return benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
  }

  /** The class part of {@link #shortName()}. */
  String className() {
    String name = shortName();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** The method part of {@link #shortName()}. */
  String method() {
    String name = shortName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** A percentile (such as 50.0 or 99.0) in nanoseconds, if this is a sample-mode result. */
  OptionalDouble percentileNanos(double percentile) {
    Double value = percentiles.get(percentile);
    return value == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(value * Units.nanosPer(primary.unit()));
  }

  /** The primary score in nanoseconds per operation, if it is a time per operation. */
  OptionalDouble scoreNanos() {
    return Units.isTimePerOp(primary.unit())
        ? OptionalDouble.of(primary.score() * Units.nanosPer(primary.unit()))
        : OptionalDouble.empty();
  }

  /** Allocation per operation from {@code -prof gc}, in bytes. */
  Optional<Metric> allocationPerOp() {
    return Optional.ofNullable(secondary.get("gc.alloc.rate.norm"));
  }
}
