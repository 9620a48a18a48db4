package dev.storymagic.safety.ml.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.internal.Hashing;
import dev.storymagic.spi.SafetyStage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trained heads: one logistic model per category group over a window's features (the MiniLM
 * embedding and the lexicon features), a Platt sigmoid that turns a text's highest window logit
 * into a calibrated probability, and the thresholds per age group chosen on validation data.
 *
 * @param digest SHA-256 of the heads file, part of the filter's version
 * @param modelSha256 SHA-256 of the ONNX model the heads were trained on
 * @param maxTokens tokens per window the heads were trained with
 * @param heads one per category group
 */
public record Heads(String digest, String modelSha256, int maxTokens, List<Head> heads) {
  public static final int FEATURES = MiniLmEncoder.DIMENSIONS + LexiconFeatures.COUNT;

  /**
   * One category group's head.
   *
   * @param group the group's name, such as {@code "hate-harassment"}
   * @param category the category a finding reports when the lexicon saw nothing more precise
   * @param members the categories of the group; a lexicon finding of one of them names the finding
   * @param stages the stages the head runs at (injection: input only)
   * @param weights one per feature
   * @param bias the intercept
   * @param plattA slope of the calibration sigmoid over the text's highest window logit
   * @param plattB its intercept
   * @param thresholds the calibrated probability at or above which the group blocks, per age group
   */
  @SuppressWarnings("ArrayRecordComponent") // weights are read, never compared or changed
  public record Head(
      String group,
      SafetyCategory category,
      Set<SafetyCategory> members,
      Set<SafetyStage> stages,
      float[] weights,
      double bias,
      double plattA,
      double plattB,
      Map<AgeGroup, Double> thresholds) {

    public double logit(float[] embedding, double[] lexicon) {
      double z = bias;
      for (int i = 0; i < embedding.length; i++) {
        z += weights[i] * embedding[i];
      }
      for (int i = 0; i < lexicon.length; i++) {
        z += weights[embedding.length + i] * lexicon[i];
      }
      return z;
    }

    public double probability(double maxLogit) {
      return 1 / (1 + Math.exp(-(plattA * maxLogit + plattB)));
    }

    public double threshold(AgeGroup age) {
      return thresholds.get(age);
    }
  }

  /** The heads shipped in this artifact. */
  public static Heads builtIn() {
    InputStream in = Heads.class.getResourceAsStream("/dev/storymagic/safety/ml/heads.json");
    if (in == null) {
      throw new IllegalStateException(
          "dev/storymagic/safety/ml/heads.json is missing from the class path");
    }
    return read(in);
  }

  public static Heads read(InputStream json) {
    byte[] bytes;
    try (InputStream in = json) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the heads file", e);
    }
    try {
      return parse(bytes);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("invalid heads file: " + e.getMessage(), e);
    }
  }

  private static Heads parse(byte[] bytes) throws IOException {
    JsonNode root = new ObjectMapper().readTree(bytes);
    if (root.path("format").asInt() != 1) {
      throw new IllegalArgumentException("unknown format " + root.path("format"));
    }
    List<String> features = new ArrayList<>();
    root.path("lexiconFeatures").forEach(n -> features.add(n.asText()));
    if (!features.equals(LexiconFeatures.names())) {
      throw new IllegalArgumentException(
          "the heads were trained with other lexicon features "
              + features
              + " than this version has "
              + LexiconFeatures.names()
              + "; retrain them");
    }
    if (root.path("embeddingDimensions").asInt() != MiniLmEncoder.DIMENSIONS) {
      throw new IllegalArgumentException("embeddingDimensions must be " + MiniLmEncoder.DIMENSIONS);
    }
    List<Head> heads = new ArrayList<>();
    for (JsonNode h : root.path("heads")) {
      String group = h.path("group").asText();
      float[] w = new float[FEATURES];
      JsonNode weights = h.path("weights");
      if (weights.size() != FEATURES) {
        throw new IllegalArgumentException(
            group + ": " + weights.size() + " weights, expected " + FEATURES);
      }
      for (int i = 0; i < FEATURES; i++) {
        w[i] = (float) weights.get(i).asDouble();
      }
      Set<SafetyCategory> members = EnumSet.noneOf(SafetyCategory.class);
      h.path("members").forEach(n -> members.add(category(n.asText())));
      Set<SafetyStage> stages = EnumSet.noneOf(SafetyStage.class);
      h.path("stages")
          .forEach(
              n -> stages.add(SafetyStage.valueOf(n.asText().toUpperCase(java.util.Locale.ROOT))));
      Map<AgeGroup, Double> thresholds = new EnumMap<>(AgeGroup.class);
      for (AgeGroup age : AgeGroup.values()) {
        JsonNode t = h.path("thresholds").path(age.label());
        if (!t.isNumber() || t.asDouble() <= 0 || t.asDouble() > 1) {
          throw new IllegalArgumentException(
              group + ": threshold for " + age.label() + " must be within (0, 1]");
        }
        thresholds.put(age, t.asDouble());
      }
      heads.add(
          new Head(
              group,
              category(h.path("category").asText()),
              Set.copyOf(members),
              Set.copyOf(stages),
              w,
              h.path("bias").asDouble(),
              h.path("platt").path("a").asDouble(),
              h.path("platt").path("b").asDouble(),
              Map.copyOf(thresholds)));
    }
    if (heads.isEmpty()) {
      throw new IllegalArgumentException("no heads");
    }
    return new Heads(
        sha256(bytes),
        root.path("modelSha256").asText(),
        root.path("maxTokens").asInt(128),
        List.copyOf(heads));
  }

  private static SafetyCategory category(String label) {
    return SafetyCategory.fromLabel(label)
        .orElseThrow(() -> new IllegalArgumentException("unknown category " + label));
  }

  static String sha256(byte[] bytes) {
    return Hashing.sha256Hex(bytes);
  }
}
