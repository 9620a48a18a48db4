package dev.storymagic.safety.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.spi.SafetyStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation flattened to named figures ({@code "3-5/binary/f1"}, {@code
 * "9-12/benign-blocked/gutenberg"}), and the committed baseline a regression check compares them
 * with. A figure enters only when its denominator is at least {@code minSupport}, so the check does
 * not hang on a rate of three texts.
 */
public final class Figures {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Figures() {}

  /** Which way is better for a figure. */
  public enum Better {
    HIGHER,
    LOWER
  }

  /** A committed figure: its value, how far it may move the wrong way, and which way is wrong. */
  public record Figure(double value, double tolerance, Better better) {
    public Figure {
      if (Double.isNaN(value) || tolerance < 0) {
        throw new IllegalArgumentException(
            "a figure needs a value and a tolerance >= 0: " + value + " ± " + tolerance);
      }
    }

    /** True when {@code now} is worse than this figure by more than the tolerance. */
    public boolean regressedTo(double now) {
      if (Double.isNaN(now)) {
        return true;
      }
      // The small epsilon keeps a figure equal to the committed one from failing on rounding.
      return better == Better.HIGHER
          ? now < value - tolerance - 1e-9
          : now > value + tolerance + 1e-9;
    }
  }

  /** The baseline file: which filter, on what, and the figures. */
  public record Baseline(String filter, String selection, Map<String, Figure> figures) {
    public Baseline {
      figures = Map.copyOf(figures);
    }
  }

  /**
   * Every figure of {@code e} with a denominator of at least {@code minSupport}, all with {@code
   * tolerance}.
   */
  public static Map<String, Figure> of(Evaluation e, long minSupport, double tolerance) {
    Map<String, Figure> f = new LinkedHashMap<>();
    for (Evaluation.AgeResult a : e.ages()) {
      String age = a.age().label();
      confusion(f, age + "/binary", a.binary(), minSupport, tolerance);
      for (SafetyStage s : SafetyStage.values()) {
        Confusion c = a.binaryByStage().get(s);
        if (c != null) {
          confusion(f, age + "/" + s.label() + "/binary", c, minSupport, tolerance);
        }
      }
      rate(f, age + "/matching-recall", a.matchingRecall(), Better.HIGHER, minSupport, tolerance);
      a.categories().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              en ->
                  confusion(
                      f,
                      age + "/category/" + en.getKey().label(),
                      en.getValue().matched(),
                      minSupport,
                      tolerance));
      a.benignBlocked()
          .forEach(
              (src, r) ->
                  rate(f, age + "/benign-blocked/" + src, r, Better.LOWER, minSupport, tolerance));
      a.harmfulCaught()
          .forEach(
              (src, r) ->
                  rate(f, age + "/harmful-caught/" + src, r, Better.HIGHER, minSupport, tolerance));
    }
    return f;
  }

  private static void confusion(
      Map<String, Figure> f, String prefix, Confusion c, long minSupport, double tolerance) {
    rate(f, prefix + "/precision", c.precision(), Better.HIGHER, minSupport, tolerance);
    rate(f, prefix + "/recall", c.recall(), Better.HIGHER, minSupport, tolerance);
    rate(f, prefix + "/fpr", c.falsePositiveRate(), Better.LOWER, minSupport, tolerance);
    if (c.positives() >= minSupport && c.tp() + c.fp() >= minSupport) {
      f.put(prefix + "/f1", new Figure(round(c.f1()), tolerance, Better.HIGHER));
    }
  }

  private static void rate(
      Map<String, Figure> f,
      String name,
      Rate r,
      Better better,
      long minSupport,
      double tolerance) {
    if (r.trials() >= minSupport) {
      f.put(name, new Figure(round(r.value()), tolerance, better));
    }
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  /**
   * The regressions of {@code now} against {@code committed}: one message per committed figure that
   * is missing now or worse by more than its tolerance. Empty when nothing regressed.
   */
  public static List<String> regressions(Baseline committed, Evaluation now) {
    Map<String, Figure> current = of(now, 0, 0);
    List<String> out = new ArrayList<>();
    committed.figures().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            en -> {
              Figure base = en.getValue();
              Figure cur = current.get(en.getKey());
              double v = cur == null ? Double.NaN : cur.value();
              if (base.regressedTo(v)) {
                out.add(
                    String.format(
                        Locale.ROOT,
                        "%s: %.4f, committed %.4f (%s is better, tolerance %.4f)",
                        en.getKey(),
                        v,
                        base.value(),
                        base.better().name().toLowerCase(Locale.ROOT),
                        base.tolerance()));
              }
            });
    return out;
  }

  public static void write(Baseline b, Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("filter", b.filter());
    root.put("selection", b.selection());
    ObjectNode figs = root.putObject("figures");
    b.figures().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            en -> {
              ObjectNode n = figs.putObject(en.getKey());
              n.put("value", en.getValue().value());
              n.put("tolerance", en.getValue().tolerance());
              n.put("better", en.getValue().better().name().toLowerCase(Locale.ROOT));
            });
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, JSON.writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static Baseline read(Path file) {
    try {
      return parse(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read baseline " + file, e);
    }
  }

  static Baseline parse(JsonNode root) {
    Map<String, Figure> figs = new LinkedHashMap<>();
    root.get("figures")
        .properties()
        .forEach(
            en ->
                figs.put(
                    en.getKey(),
                    new Figure(
                        en.getValue().get("value").asDouble(),
                        en.getValue().get("tolerance").asDouble(),
                        Better.valueOf(
                            en.getValue().get("better").asText().toUpperCase(Locale.ROOT)))));
    return new Baseline(root.get("filter").asText(), root.get("selection").asText(), figs);
  }
}
