package dev.storymagic.safety.ml.internal;

import dev.storymagic.SafetyFinding;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyStage;
import java.util.List;

/** Everything the lexicon finds in a text, decisive and evidence: the one place that asks it. */
public final class LexiconSource {
  private LexiconSource() {}

  public static List<SafetyFinding> findings(
      LocalSafetyClassifier lexicon, String text, SafetyStage stage) {
    return lexicon.assess(text, stage).findings();
  }
}
