package dev.storymagic.safety.ml.internal;

import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.spi.SafetyStage;
import java.util.List;

/**
 * What the lexicon saw in a window, as features beside the embedding: per category, the highest
 * score (the lexicon's prior, 1 for a decisive finding) and the log of one plus the number of
 * findings that start inside the window; and one feature for the stage. The heads learn how much a
 * word like "fight" means in its context instead of the word deciding alone.
 */
public final class LexiconFeatures {
  private static final SafetyCategory[] CATEGORIES = SafetyCategory.values();

  /** Two per category, plus the stage. */
  public static final int COUNT = 2 * CATEGORIES.length + 1;

  private LexiconFeatures() {}

  /**
   * Features of the findings within {@code [start, end)}, written to {@code out} from {@code
   * offset}.
   */
  public static void write(
      List<SafetyFinding> findings,
      int start,
      int end,
      SafetyStage stage,
      double[] out,
      int offset) {
    int n = CATEGORIES.length;
    for (int i = 0; i < COUNT; i++) {
      out[offset + i] = 0;
    }
    for (SafetyFinding f : findings) {
      int at = f.hasSpan() ? f.start() : start;
      if (at >= start && at < Math.max(end, start + 1)) {
        int c = f.category().ordinal();
        out[offset + c] = Math.max(out[offset + c], f.score());
        out[offset + n + c] += 1;
      }
    }
    for (int i = 0; i < n; i++) {
      out[offset + n + i] = Math.log1p(out[offset + n + i]);
    }
    out[offset + 2 * n] = stage == SafetyStage.INPUT ? 1 : 0;
  }

  /** Names of the features, in order, for the heads file. */
  public static List<String> names() {
    java.util.ArrayList<String> names = new java.util.ArrayList<>(COUNT);
    for (SafetyCategory c : CATEGORIES) {
      names.add("lexicon-score:" + c.label());
    }
    for (SafetyCategory c : CATEGORIES) {
      names.add("lexicon-count:" + c.label());
    }
    names.add("stage:input");
    return names;
  }
}
