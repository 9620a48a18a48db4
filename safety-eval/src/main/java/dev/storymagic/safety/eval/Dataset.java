package dev.storymagic.safety.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.SafetyCategory;
import dev.storymagic.spi.SafetyStage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads labelled JSONL ({@code {"id","text","labels","stage","source","split"}}, one object a line)
 * as written by {@code data/prepare.py}. A bad line is an error naming the file and line, never
 * skipped: a silently shorter test set would make every figure lie.
 */
public final class Dataset {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Dataset() {}

  /** Every row of every {@code *.jsonl} file in {@code dataDir/split}, sorted by file name. */
  public static List<LabelledText> split(Path dataDir, String split) {
    Path dir = dataDir.resolve(split);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no split '"
              + split
              + "' under "
              + dataDir.toAbsolutePath()
              + " (expected a directory "
              + dir
              + " with *.jsonl files)");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.jsonl files in " + dir.toAbsolutePath());
    }
    List<LabelledText> rows = new ArrayList<>();
    for (Path f : files) {
      rows.addAll(read(f));
    }
    return rows;
  }

  /** The rows of one JSONL file. */
  public static List<LabelledText> read(Path file) {
    List<LabelledText> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          rows.add(parse(JSON.readTree(line)));
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rows;
  }

  static LabelledText parse(JsonNode n) {
    Set<SafetyCategory> labels = EnumSet.noneOf(SafetyCategory.class);
    JsonNode ls = required(n, "labels");
    if (!ls.isArray()) {
      throw new IllegalArgumentException("labels must be an array");
    }
    for (JsonNode l : ls) {
      labels.add(
          SafetyCategory.fromLabel(l.asText())
              .orElseThrow(
                  () -> new IllegalArgumentException("unknown label '" + l.asText() + "'")));
    }
    String stage = required(n, "stage").asText();
    SafetyStage s =
        switch (stage) {
          case "input" -> SafetyStage.INPUT;
          case "output" -> SafetyStage.OUTPUT;
          default ->
              throw new IllegalArgumentException("stage must be input or output: '" + stage + "'");
        };
    return new LabelledText(
        required(n, "id").asText(),
        required(n, "text").asText(),
        labels,
        s,
        required(n, "source").asText(),
        required(n, "split").asText().toLowerCase(Locale.ROOT));
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return v;
  }

  /**
   * Rows whose source starts with one of {@code include} (all when empty) and with none of {@code
   * exclude}.
   */
  public static Predicate<LabelledText> sources(
      Collection<String> include, Collection<String> exclude) {
    return t ->
        (include.isEmpty() || include.stream().anyMatch(t.source()::startsWith))
            && exclude.stream().noneMatch(t.source()::startsWith);
  }

  /**
   * The rows whose id is in {@code ids}; fails when an id is missing, so a slice cannot shrink
   * unnoticed.
   */
  public static List<LabelledText> only(List<LabelledText> rows, Collection<String> ids) {
    Set<String> wanted = new HashSet<>(ids);
    List<LabelledText> out = rows.stream().filter(t -> wanted.contains(t.id())).toList();
    if (out.size() != wanted.size()) {
      Set<String> found = new HashSet<>();
      out.forEach(t -> found.add(t.id()));
      wanted.removeAll(found);
      throw new IllegalArgumentException(
          wanted.size()
              + " ids not found in the data, such as "
              + wanted.stream().sorted().limit(5).toList());
    }
    return out;
  }
}
