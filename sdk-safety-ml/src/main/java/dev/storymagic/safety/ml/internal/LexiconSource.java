package dev.storymagic.safety.ml.internal;

import dev.storymagic.AgeGroup;
import dev.storymagic.LocalSafetyClassifier;
import dev.storymagic.SafetyContext;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyStage;
import java.util.List;

/** Everything the lexicon finds in a text, judged or not: the one place that asks it. */
public final class LexiconSource {
  private LexiconSource() {}

  public static List<SafetyFinding> findings(LocalSafetyClassifier lexicon, String text, SafetyStage stage) {
    // The lexicon reports every finding whatever the audience; the age group only marks which block.
    return lexicon.check(text, new SafetyContext(stage, AgeGroup.AGES_9_12, SafetyPolicy.defaults())).findings();
  }
}
