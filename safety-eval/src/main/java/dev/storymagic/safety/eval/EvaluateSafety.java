package dev.storymagic.safety.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.internal.Hashing;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The command line: scores one or more filters on a split of the labelled data and writes a
 * markdown and a JSON report.
 *
 * <pre>
 * EvaluateSafety --filter local[,layered] [--split validation|test|train] [--data DIR]
 *     [--source PREFIX]... [--exclude-source PREFIX]... [--stage input|output] [--age 3-5]...
 *     [--ids FILE] [--threads N] [--out DIR] [--predictions]
 *     [--write-baseline FILE [--min-support N] [--tolerance T]]
 *     [--sample-ids N --sample-out FILE]
 * </pre>
 *
 * Exit status 0 on success, 2 on a usage error.
 */
public final class EvaluateSafety {
  private static final String USAGE =
      """
      usage: EvaluateSafety --filter NAME[,NAME...] [options]
        --filter NAMES        filters to score side by side, by provider name (see below)
        --split NAME          train, validation (default) or test; tune on validation only
        --data DIR            the data directory (default: data, or safety-eval/data)
        --source PREFIX       only rows whose source starts with PREFIX (repeatable)
        --exclude-source P    leave out rows whose source starts with P (repeatable)
        --stage input|output  only rows of that stage
        --age LABEL           age group to score, 3-5, 6-8 or 9-12 (repeatable; default all)
        --ids FILE            only the rows whose id is listed in FILE (one a line, # comments)
        --threads N           texts checked at once (default 1); throughput stays per thread
        --out DIR             where the reports go (default target/safety-eval of the data's module)
        --predictions         also write each text's blocked categories per age group (JSONL)
        --write-baseline FILE write the figures as a regression baseline (one filter only)
        --min-support N       smallest denominator a baseline figure may have (default 20)
        --tolerance T         how far a baseline figure may move the wrong way (default 0.02)
        --sample-ids N        write N ids per source family of the selection to --sample-out, and stop
        --sample-out FILE     the ids file --sample-ids writes
      """;

  private EvaluateSafety() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      listFilters(err);
      return 2;
    }
    if (o.help) {
      out.print(USAGE);
      listFilters(out);
      return 0;
    }
    try {
      List<LabelledText> rows = select(o);
      if (o.sampleIds > 0) {
        writeSample(rows, o.sampleIds, o.sampleOut);
        out.println("wrote " + o.sampleOut);
        return 0;
      }
      FilterRegistry registry = FilterRegistry.load();
      List<Evaluation> evals = new ArrayList<>();
      Files.createDirectories(o.out);
      String selection = o.describe(rows.size());
      for (String name : o.filters) {
        SafetyFilterProvider p = registry.get(name);
        SafetyFilter filter = p.create();
        Evaluator evaluator = new Evaluator(filter, p.policy(), o.threads);
        List<Evaluator.Prediction> predictions = evaluator.predict(rows, o.ages);
        Evaluation e =
            Evaluator.score(
                name,
                filter.version(),
                p.policy().version(),
                selection,
                rows.size(),
                predictions,
                o.ages);
        evals.add(e);
        if (o.predictions) {
          writePredictions(predictions, o.out.resolve(name + "-" + o.split + "-predictions.jsonl"));
        }
        if (o.writeBaseline != null) {
          Figures.write(
              new Figures.Baseline(name, selection, Figures.of(e, o.minSupport, o.tolerance)),
              o.writeBaseline);
          out.println("wrote " + o.writeBaseline);
        }
      }
      String base = String.join("+", o.filters) + "-" + o.split;
      Path md = o.out.resolve(base + ".md");
      Path json = o.out.resolve(base + ".json");
      String report = Report.markdown(evals);
      Files.writeString(md, report);
      Files.writeString(json, Report.json(evals));
      out.print(report);
      out.println("wrote " + md + " and " + json);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: " + e);
      return 1;
    }
  }

  private static void listFilters(PrintStream s) {
    s.println("filters on the class path:");
    FilterRegistry.load().all().forEach((n, p) -> s.println("  " + n + "  " + p.description()));
  }

  static List<LabelledText> select(Options o) {
    Predicate<LabelledText> keep = Dataset.sources(o.sources, o.excludeSources);
    if (o.stage != null) {
      keep = keep.and(t -> t.stage() == o.stage);
    }
    List<LabelledText> rows = Dataset.split(o.data, o.split).stream().filter(keep).toList();
    if (o.ids != null) {
      rows = Dataset.only(rows, readIds(o.ids));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("the selection is empty");
    }
    return rows;
  }

  /** The ids listed in {@code file}: one a line, blank lines and {@code #} comments ignored. */
  public static List<String> readIds(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ids file " + file, e);
    }
  }

  /**
   * A fixed, stratified slice: per source family the {@code perFamily} rows with the smallest
   * SHA-256 of their id, so every family (stories, prompts, attacks, social text) is in it and the
   * choice depends on nothing a filter does.
   */
  static void writeSample(List<LabelledText> rows, int perFamily, Path file) throws IOException {
    Map<String, List<LabelledText>> byFamily =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    LabelledText::sourceFamily, TreeMap::new, Collectors.toList()));
    List<String> lines = new ArrayList<>();
    lines.add(
        "# CI regression slice: "
            + perFamily
            + " rows per source family of the selection, chosen by SHA-256 of the id.");
    byFamily.forEach(
        (family, list) ->
            list.stream()
                .sorted(Comparator.comparing(t -> sha256(t.id())))
                .limit(perFamily)
                .map(LabelledText::id)
                .sorted()
                .forEach(lines::add));
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static void writePredictions(List<Evaluator.Prediction> predictions, Path file)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Evaluator.Prediction p : predictions) {
        ObjectNode n = json.createObjectNode();
        n.put("id", p.text().id());
        n.put("age", p.age().label());
        n.putPOJO(
            "labels", p.text().labels().stream().map(SafetyCategory::label).sorted().toList());
        n.putPOJO("blocked", p.blocked().stream().map(SafetyCategory::label).sorted().toList());
        n.put("source", p.text().source());
        w.write(json.writeValueAsString(n));
        w.newLine();
      }
    }
  }

  private static String sha256(String s) {
    return Hashing.sha256Hex(s);
  }

  /** Parsed command-line options. */
  static final class Options {
    List<String> filters = List.of();
    String split = "validation";
    Path data;
    final List<String> sources = new ArrayList<>();
    final List<String> excludeSources = new ArrayList<>();
    SafetyStage stage;
    List<AgeGroup> ages = List.of(AgeGroup.values());
    Path ids;
    int threads = 1;
    Path out;
    boolean predictions;
    Path writeBaseline;
    long minSupport = 20;
    double tolerance = 0.02;
    int sampleIds;
    Path sampleOut;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      List<AgeGroup> ages = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--help", "-h" -> o.help = true;
          case "--filter" -> o.filters = List.of(value(args, ++i, a).split(","));
          case "--split" -> {
            o.split = value(args, ++i, a);
            if (!List.of("train", "validation", "test").contains(o.split)) {
              throw new IllegalArgumentException(
                  "--split must be train, validation or test: " + o.split);
            }
          }
          case "--data" -> o.data = Path.of(value(args, ++i, a));
          case "--source" -> o.sources.add(value(args, ++i, a));
          case "--exclude-source" -> o.excludeSources.add(value(args, ++i, a));
          case "--stage" -> {
            String s = value(args, ++i, a);
            o.stage =
                switch (s) {
                  case "input" -> SafetyStage.INPUT;
                  case "output" -> SafetyStage.OUTPUT;
                  default ->
                      throw new IllegalArgumentException("--stage must be input or output: " + s);
                };
          }
          case "--age" -> {
            String s = value(args, ++i, a);
            ages.add(
                AgeGroup.parse(s)
                    .orElseThrow(() -> new IllegalArgumentException("unknown age group: " + s)));
          }
          case "--ids" -> o.ids = Path.of(value(args, ++i, a));
          case "--threads" -> o.threads = intValue(args, ++i, a, 1, 64);
          case "--out" -> o.out = Path.of(value(args, ++i, a));
          case "--predictions" -> o.predictions = true;
          case "--write-baseline" -> o.writeBaseline = Path.of(value(args, ++i, a));
          case "--min-support" -> o.minSupport = intValue(args, ++i, a, 1, 1_000_000);
          case "--tolerance" -> {
            o.tolerance = Double.parseDouble(value(args, ++i, a));
            if (!(o.tolerance >= 0 && o.tolerance < 1)) {
              throw new IllegalArgumentException("--tolerance must be within 0..1: " + o.tolerance);
            }
          }
          case "--sample-ids" -> o.sampleIds = intValue(args, ++i, a, 1, 100_000);
          case "--sample-out" -> o.sampleOut = Path.of(value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option: " + a);
        }
      }
      if (!ages.isEmpty()) {
        o.ages = ages.stream().distinct().sorted().toList();
      }
      if (o.help) {
        return o;
      }
      if (o.sampleIds > 0 ? o.sampleOut == null : o.filters.isEmpty()) {
        throw new IllegalArgumentException(
            o.sampleIds > 0 ? "--sample-ids needs --sample-out" : "--filter is required");
      }
      if (o.writeBaseline != null && o.filters.size() != 1) {
        throw new IllegalArgumentException("--write-baseline takes exactly one filter");
      }
      if (o.data == null) {
        o.data =
            Files.isDirectory(Path.of("data", o.split))
                ? Path.of("data")
                : Path.of("safety-eval", "data");
      }
      if (o.out == null) {
        // Beside the data's module, whether run from the module or from the repository root.
        Path module = o.data.toAbsolutePath().getParent();
        o.out = module.resolve("target").resolve("safety-eval");
      }
      return o;
    }

    String describe(int rows) {
      StringBuilder s = new StringBuilder("split ").append(split);
      if (!sources.isEmpty()) {
        s.append(", sources ").append(String.join("|", sources));
      }
      if (!excludeSources.isEmpty()) {
        s.append(", excluding ").append(String.join("|", excludeSources));
      }
      if (stage != null) {
        s.append(", stage ").append(stage.label());
      }
      if (ids != null) {
        s.append(", ids ").append(ids.getFileName());
      }
      return s.toString();
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int intValue(String[] args, int i, String option, int min, int max) {
      String v = value(args, i, option);
      try {
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
          throw new IllegalArgumentException(
              option + " must be within " + min + ".." + max + ": " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a whole number: " + v);
      }
    }
  }
}
