package dev.storymagic.safety.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.AgeGroup;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders evaluations as a markdown report (filters side by side, then each in detail) and as JSON.
 */
public final class Report {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  /** The markdown report: a side-by-side summary of every evaluation, then each one in detail. */
  public static String markdown(List<Evaluation> evals) {
    StringBuilder md = new StringBuilder();
    Evaluation first = evals.get(0);
    md.append("Selection: ")
        .append(first.selection())
        .append(", ")
        .append(first.texts())
        .append(
            " texts, each checked once per age group. 95 % Wilson intervals in brackets (F1: percentile bootstrap).\n\n");
    md.append("### Summary\n\n| age | figure |");
    evals.forEach(e -> md.append(' ').append(e.filter()).append(" |"));
    md.append("\n|---|---|");
    evals.forEach(e -> md.append("---|"));
    md.append('\n');
    for (int i = 0; i < first.ages().size(); i++) {
      AgeGroup age = first.ages().get(i).age();
      List<String[]> rows = new ArrayList<>();
      rows.add(row("binary F1 / P / R (any harm)", evals, i, a -> f1prf(a.binary())));
      rows.add(row("benign blocked (FPR)", evals, i, a -> pct(a.binary().falsePositiveRate())));
      rows.add(row("matching-category recall", evals, i, a -> rate(a.matchingRecall())));
      for (SafetyStage s : SafetyStage.values()) {
        rows.add(
            row(
                s.label() + " stage: recall / benign blocked",
                evals,
                i,
                a -> {
                  Confusion c = a.binaryByStage().get(s);
                  return c == null ? "–" : rate(c.recall()) + " / " + pct(c.falsePositiveRate());
                }));
      }
      TreeSet<String> benignSources = new TreeSet<>();
      evals.forEach(e -> benignSources.addAll(e.ages().get(0).benignBlocked().keySet()));
      for (String src : benignSources) {
        rows.add(
            row(
                "benign blocked: " + src,
                evals,
                i,
                a -> {
                  Rate r = a.benignBlocked().get(src);
                  return r == null ? "–" : pct(r);
                }));
      }
      for (String[] r : rows) {
        md.append("| ").append(age.label()).append(" | ").append(r[0]).append(" |");
        for (int k = 1; k < r.length; k++) {
          md.append(' ').append(r[k]).append(" |");
        }
        md.append('\n');
      }
    }
    md.append(
        "| all | throughput per thread (chars/s, checks/s; a check is one text at one age) |");
    evals.forEach(
        e ->
            md.append(
                String.format(
                    Locale.ROOT,
                    " %s, %s |",
                    big(e.throughput().charsPerSecond()),
                    big(e.throughput().checksPerSecond()))));
    md.append("\n\n");
    for (Evaluation e : evals) {
      md.append(detail(e));
    }
    return md.toString();
  }

  private interface Cell {
    String of(Evaluation.AgeResult a);
  }

  private static String[] row(String name, List<Evaluation> evals, int ageIndex, Cell cell) {
    String[] r = new String[evals.size() + 1];
    r[0] = name;
    for (int k = 0; k < evals.size(); k++) {
      r[k + 1] = cell.of(evals.get(k).ages().get(ageIndex));
    }
    return r;
  }

  /** One evaluation: per age group, every category and every source. */
  public static String detail(Evaluation e) {
    StringBuilder md = new StringBuilder();
    md.append("### ")
        .append(e.filter())
        .append(" (version ")
        .append(e.filterVersion())
        .append(", policy ")
        .append(e.policyVersion())
        .append(")\n\n");
    for (Evaluation.AgeResult a : e.ages()) {
      md.append("#### ages ").append(a.age().label()).append("\n\n");
      md.append(
          "| category | labelled | flagged | precision | recall | F1 | FPR | blocked for any category |\n");
      md.append("|---|---:|---:|---|---|---|---|---|\n");
      md.append(
          String.format(
              Locale.ROOT,
              "| **any harm** | %d | %d | %s | %s | %s | %s | |%n",
              a.binary().positives(),
              a.binary().tp() + a.binary().fp(),
              rate(a.binary().precision()),
              rate(a.binary().recall()),
              f1(a.binary()),
              rate(a.binary().falsePositiveRate())));
      a.categories().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              en -> {
                Confusion c = en.getValue().matched();
                md.append(
                    String.format(
                        Locale.ROOT,
                        "| %s | %d | %d | %s | %s | %s | %s | %s |%n",
                        en.getKey().label(),
                        c.positives(),
                        c.tp() + c.fp(),
                        rate(c.precision()),
                        rate(c.recall()),
                        f1(c),
                        rate(c.falsePositiveRate()),
                        rate(en.getValue().caught())));
              });
      md.append(
          String.format(
              Locale.ROOT, "%nMatching-category recall %s.%n%n", rate(a.matchingRecall())));
      md.append("| source | benign texts blocked | harmful texts blocked |\n|---|---|---|\n");
      TreeSet<String> sources = new TreeSet<>(a.benignBlocked().keySet());
      sources.addAll(a.harmfulCaught().keySet());
      for (String s : sources) {
        Rate b = a.benignBlocked().get(s);
        Rate h = a.harmfulCaught().get(s);
        md.append("| ")
            .append(s)
            .append(" | ")
            .append(b == null ? "–" : rate(b))
            .append(" | ")
            .append(h == null ? "–" : rate(h))
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append(
        String.format(
            Locale.ROOT,
            "Throughput: %s chars/s, %s checks/s per thread (%d checks, %d chars; "
                + "indicative, not a JMH figure).%n%n",
            big(e.throughput().charsPerSecond()),
            big(e.throughput().checksPerSecond()),
            e.throughput().checks(),
            e.throughput().chars()));
    return md.toString();
  }

  /** The evaluation as JSON: every count, rate and interval. */
  public static String json(List<Evaluation> evals) {
    ArrayNode root = JSON.createArrayNode();
    for (Evaluation e : evals) {
      ObjectNode n = root.addObject();
      n.put("filter", e.filter());
      n.put("filterVersion", e.filterVersion());
      n.put("policyVersion", e.policyVersion());
      n.put("selection", e.selection());
      n.put("texts", e.texts());
      ObjectNode t = n.putObject("throughput");
      t.put("chars", e.throughput().chars());
      t.put("checks", e.throughput().checks());
      t.put("nanos", e.throughput().nanos());
      num(t, "charsPerSecond", e.throughput().charsPerSecond());
      num(t, "checksPerSecond", e.throughput().checksPerSecond());
      ObjectNode ages = n.putObject("ages");
      for (Evaluation.AgeResult a : e.ages()) {
        ObjectNode an = ages.putObject(a.age().label());
        confusion(an.putObject("binary"), a.binary());
        ObjectNode st = an.putObject("binaryByStage");
        a.binaryByStage().forEach((s, c) -> confusion(st.putObject(s.label()), c));
        rate(an.putObject("matchingRecall"), a.matchingRecall());
        ObjectNode cats = an.putObject("categories");
        a.categories().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(
                en -> {
                  ObjectNode cn = cats.putObject(en.getKey().label());
                  confusion(cn, en.getValue().matched());
                  rate(cn.putObject("blockedForAnyCategory"), en.getValue().caught());
                });
        ObjectNode bb = an.putObject("benignBlocked");
        a.benignBlocked().forEach((s, r) -> rate(bb.putObject(s), r));
        ObjectNode hc = an.putObject("harmfulBlocked");
        a.harmfulCaught().forEach((s, r) -> rate(hc.putObject(s), r));
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void confusion(ObjectNode n, Confusion c) {
    n.put("tp", c.tp());
    n.put("fp", c.fp());
    n.put("fn", c.fn());
    n.put("tn", c.tn());
    rate(n.putObject("precision"), c.precision());
    rate(n.putObject("recall"), c.recall());
    rate(n.putObject("falsePositiveRate"), c.falsePositiveRate());
    ObjectNode f = n.putObject("f1");
    num(f, "value", c.f1());
    double[] ci = c.f1Interval();
    num(f, "low", ci[0]);
    num(f, "high", ci[1]);
  }

  private static void rate(ObjectNode n, Rate r) {
    n.put("successes", r.successes());
    n.put("trials", r.trials());
    num(n, "value", r.value());
    num(n, "low", r.low());
    num(n, "high", r.high());
  }

  /** JSON has no NaN: an undefined figure is null. */
  private static void num(ObjectNode n, String field, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      n.putNull(field);
    } else {
      n.put(field, Math.round(v * 1e6) / 1e6);
    }
  }

  static String rate(Rate r) {
    if (r.trials() == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.value(), r.low(), r.high());
  }

  static String pct(Rate r) {
    if (r.trials() == 0) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        "%.1f %% [%.1f, %.1f] (%d/%d)",
        100 * r.value(),
        100 * r.low(),
        100 * r.high(),
        r.successes(),
        r.trials());
  }

  static String f1(Confusion c) {
    if (Double.isNaN(c.f1())) {
      return "–";
    }
    double[] ci = c.f1Interval();
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", c.f1(), ci[0], ci[1]);
  }

  static String f1prf(Confusion c) {
    return String.format(
        Locale.ROOT,
        "%s / %s / %s",
        Double.isNaN(c.f1()) ? "–" : String.format(Locale.ROOT, "%.3f", c.f1()),
        num3(c.precision().value()),
        num3(c.recall().value()));
  }

  private static String num3(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String big(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v >= 1e6
        ? String.format(Locale.ROOT, "%.1f M", v / 1e6)
        : v >= 1e3
            ? String.format(Locale.ROOT, "%.1f k", v / 1e3)
            : String.format(Locale.ROOT, "%.0f", v);
  }
}
