package dev.storymagic.safety.ml.eval;

import dev.storymagic.SafetyPolicy;
import dev.storymagic.safety.eval.SafetyFilterProvider;
import dev.storymagic.safety.ml.LayeredSafetyFilter;
import dev.storymagic.spi.SafetyFilter;

/**
 * {@code layered}: the layered filter with its built-in lexicon, model and heads, for the
 * evaluation harness. Registered in the test resources, so the shipped artifact does not depend on
 * the harness; the harness runs it from this module's test class path (see the README).
 */
public final class LayeredFilterProvider implements SafetyFilterProvider {
  @Override
  public String name() {
    return "layered";
  }

  @Override
  public String description() {
    return "sdk-safety-ml LayeredSafetyFilter (lexicon + MiniLM on ONNX Runtime + trained heads)";
  }

  @Override
  public SafetyFilter create() {
    return LayeredSafetyFilter.create().warmUp();
  }

  /**
   * The thresholds chosen with the heads on validation data; reading them does not load the model.
   */
  @Override
  public SafetyPolicy policy() {
    try (LayeredSafetyFilter f = LayeredSafetyFilter.create()) {
      return f.policy();
    }
  }
}
