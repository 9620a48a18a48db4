package dev.storymagic.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Checks a log line against the CloudWatch Embedded Metric Format specification: the root node, the
 * metadata object, metric directives, dimension sets, metric definitions and target members.
 */
final class EmfSpec {
  static final Set<String> UNITS =
      Set.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");

  private EmfSpec() {}

  /** Every violation of the specification in {@code line}; empty when it conforms. */
  static List<String> violations(String line) {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = Http.JSON.readTree(line);
    } catch (Exception e) {
      return List.of("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return List.of("the root node must be a JSON object");
    }
    JsonNode aws = root.get("_aws");
    if (aws == null || !aws.isObject()) {
      return List.of("_aws must be an object");
    }
    for (Iterator<String> it = aws.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("CloudWatchMetrics", "Timestamp", "LogGroupName").contains(f)) {
        problems.add("_aws has an unknown member " + f);
      }
    }
    JsonNode ts = aws.get("Timestamp");
    if (ts == null || !ts.isIntegralNumber() || ts.asLong() < 1_000_000_000_000L) {
      problems.add("_aws.Timestamp must be milliseconds since the epoch");
    }
    JsonNode directives = aws.get("CloudWatchMetrics");
    if (directives == null || !directives.isArray() || directives.isEmpty()) {
      problems.add("_aws.CloudWatchMetrics must be a non-empty array");
      return problems;
    }
    for (JsonNode d : directives) {
      JsonNode ns = d.get("Namespace");
      if (ns == null || !ns.isTextual() || ns.asText().isBlank() || ns.asText().length() > 255) {
        problems.add("Namespace must be a non-blank string of at most 255 characters");
      }
      Set<String> dimensionNames = new HashSet<>();
      JsonNode sets = d.get("Dimensions");
      if (sets == null || !sets.isArray()) {
        problems.add("Dimensions must be an array of dimension sets");
      } else {
        for (JsonNode set : sets) {
          if (!set.isArray() || set.size() > 30) {
            problems.add("a dimension set must be an array of at most 30 names");
            continue;
          }
          for (JsonNode name : set) {
            if (!name.isTextual()) {
              problems.add("a dimension name must be a string");
              continue;
            }
            dimensionNames.add(name.asText());
            JsonNode value = root.get(name.asText());
            if (value == null
                || !value.isTextual()
                || value.asText().isEmpty()
                || value.asText().length() > 1024) {
              problems.add(
                  "dimension " + name + " needs a string target member of 1 to 1024 characters");
            }
          }
        }
      }
      JsonNode metrics = d.get("Metrics");
      if (metrics == null || !metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
        problems.add("Metrics must be an array of 1 to 100 metric definitions");
        continue;
      }
      for (JsonNode m : metrics) {
        JsonNode name = m.get("Name");
        if (name == null
            || !name.isTextual()
            || name.asText().isEmpty()
            || name.asText().length() > 255) {
          problems.add("a metric Name must be a string of 1 to 255 characters");
          continue;
        }
        if (dimensionNames.contains(name.asText())) {
          problems.add("metric " + name + " collides with a dimension name");
        }
        JsonNode unit = m.get("Unit");
        if (unit != null && (!unit.isTextual() || !UNITS.contains(unit.asText()))) {
          problems.add("metric " + name + " has an invalid Unit " + unit);
        }
        JsonNode resolution = m.get("StorageResolution");
        if (resolution != null
            && !(resolution.isInt() && (resolution.asInt() == 1 || resolution.asInt() == 60))) {
          problems.add("StorageResolution must be 1 or 60");
        }
        JsonNode value = root.get(name.asText());
        if (value == null) {
          problems.add("metric " + name + " has no target member");
        } else if (value.isArray()) {
          if (value.isEmpty() || value.size() > 100) {
            problems.add("metric " + name + " must have 1 to 100 values");
          }
          value.forEach(
              v -> {
                if (!v.isNumber()) {
                  problems.add("metric " + name + " has a non-numeric value " + v);
                }
              });
        } else if (!value.isNumber()) {
          problems.add("metric " + name + " must be a number or an array of numbers");
        }
      }
    }
    return problems;
  }
}
