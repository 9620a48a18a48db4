package dev.storymagic.safety.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.safety.ml.internal.Heads;
import dev.storymagic.safety.ml.internal.LexiconFeatures;
import dev.storymagic.safety.ml.internal.MiniLmEncoder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * Heads files with known answers: every weight zero, so a group's logit is its bias whatever the
 * text, and the identity calibration, so its probability is sigmoid(bias).
 */
final class TestHeads {
  private final ObjectNode root;

  private TestHeads(String modelSha256) {
    ObjectMapper json = new ObjectMapper();
    root = json.createObjectNode();
    root.put("format", 1);
    root.put("modelSha256", modelSha256);
    root.put("maxTokens", 128);
    root.put("embeddingDimensions", MiniLmEncoder.DIMENSIONS);
    ArrayNode names = root.putArray("lexiconFeatures");
    LexiconFeatures.names().forEach(names::add);
    root.putArray("heads");
  }

  static TestHeads forModel(String modelSha256) {
    return new TestHeads(modelSha256);
  }

  /** Any model: the digest check is skipped when the file names none. */
  static TestHeads anyModel() {
    return new TestHeads("");
  }

  TestHeads head(
      String group,
      String category,
      double probability,
      double t35,
      double t68,
      double t912,
      String... stages) {
    ObjectNode h = ((ArrayNode) root.get("heads")).addObject();
    h.put("group", group);
    h.put("category", category);
    h.putArray("members").add(category);
    ArrayNode st = h.putArray("stages");
    for (String s : stages.length == 0 ? new String[] {"input", "output"} : stages) {
      st.add(s);
    }
    ArrayNode w = h.putArray("weights");
    for (int i = 0; i < Heads.FEATURES; i++) {
      w.add(0.0);
    }
    h.put("bias", Math.log(probability / (1 - probability)));
    h.putObject("platt").put("a", 1.0).put("b", 0.0);
    h.putObject("thresholds").put("3-5", t35).put("6-8", t68).put("9-12", t912);
    return this;
  }

  /** Changes one weight of the first head. */
  TestHeads weight(int index, double value) {
    ((ArrayNode) root.get("heads").get(0).get("weights")).set(index, value);
    return this;
  }

  InputStream stream() {
    return new ByteArrayInputStream(
        root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
