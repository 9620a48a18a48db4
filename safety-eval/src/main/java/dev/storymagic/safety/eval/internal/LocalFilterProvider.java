package dev.storymagic.safety.eval.internal;

import dev.storymagic.safety.eval.SafetyFilterProvider;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyFilter;

/**
 * {@code local}: sdk-core's {@link LocalSafetyClassifier} with its built-in lexicon and the default
 * policy.
 */
public final class LocalFilterProvider implements SafetyFilterProvider {
  @Override
  public String name() {
    return "local";
  }

  @Override
  public String description() {
    return "sdk-core LocalSafetyClassifier (lexicon "
        + LocalSafetyClassifier.LEXICON_VERSION
        + "), default policy";
  }

  @Override
  public SafetyFilter create() {
    return LocalSafetyClassifier.create();
  }
}
