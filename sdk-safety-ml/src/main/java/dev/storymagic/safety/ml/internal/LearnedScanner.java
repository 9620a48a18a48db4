package dev.storymagic.safety.ml.internal;

import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one text for every category group in one pass: the text is cut into windows, each window
 * embedded once, and every head scores every window; a group's probability is the calibrated
 * sigmoid of its highest window logit, and the finding points at that window. Nothing here depends
 * on the audience, so one scan serves every age group.
 */
public final class LearnedScanner {
  private final MiniLmEncoder encoder;
  private final Heads heads;
  private final int maxWindows;

  private final int minOutputTokens;

  public LearnedScanner(MiniLmEncoder encoder, Heads heads, int maxWindows) {
    this(encoder, heads, maxWindows, 0);
  }

  /**
   * @param minOutputTokens story text shorter than this many tokens is not scored (see {@link
   *     #scan})
   */
  public LearnedScanner(MiniLmEncoder encoder, Heads heads, int maxWindows, int minOutputTokens) {
    this.encoder = encoder;
    this.heads = heads;
    this.maxWindows = maxWindows;
    this.minOutputTokens = minOutputTokens;
  }

  /**
   * A group's score for one text.
   *
   * @param head the group's head
   * @param probability calibrated probability that the text is harmful in the group
   * @param category the member category the lexicon saw in the strongest window, else the head's
   * @param start where the strongest window starts
   * @param end where it ends
   */
  public record GroupScore(
      Heads.Head head, double probability, SafetyCategory category, int start, int end) {}

  /**
   * Scores {@code text}, given what the lexicon found in it. Story text (output stage) shorter than
   * the minimum gets no scores: a streamed sentence such as "Hooray!" carries too little context
   * for heads calibrated on whole texts, so the lexicon alone judges it there, as it does the
   * story's other sentences, and the whole story is scored when it is complete.
   */
  public List<GroupScore> scan(String text, SafetyStage stage, List<SafetyFinding> lexicon) {
    WordPieceTokenizer.Tokens tokens = encoder.tokenizer().tokenize(text);
    if (stage == SafetyStage.OUTPUT && tokens.size() < minOutputTokens) {
      return List.of();
    }
    List<Windows.Window> windows = Windows.of(tokens, heads.maxTokens(), maxWindows);
    List<Heads.Head> active = new ArrayList<>(heads.heads().size());
    for (Heads.Head h : heads.heads()) {
      if (h.stages().contains(stage)) {
        active.add(h);
      }
    }
    double[] best = new double[active.size()];
    int[] bestWindow = new int[active.size()];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    double[] lex = new double[LexiconFeatures.COUNT];
    for (int w = 0; w < windows.size(); w++) {
      Windows.Window window = windows.get(w);
      float[] embedding = encoder.embed(window);
      LexiconFeatures.write(lexicon, window.start(), window.end(), stage, lex, 0);
      for (int h = 0; h < active.size(); h++) {
        double z = active.get(h).logit(embedding, lex);
        if (z > best[h]) {
          best[h] = z;
          bestWindow[h] = w;
        }
      }
    }
    List<GroupScore> out = new ArrayList<>(active.size());
    for (int h = 0; h < active.size(); h++) {
      Heads.Head head = active.get(h);
      Windows.Window window = windows.get(bestWindow[h]);
      out.add(
          new GroupScore(
              head,
              head.probability(best[h]),
              category(head, lexicon, window),
              window.start(),
              window.end()));
    }
    return out;
  }

  /** The member category the lexicon reported most often in the window, or the head's own. */
  private static SafetyCategory category(
      Heads.Head head, List<SafetyFinding> lexicon, Windows.Window window) {
    Map<SafetyCategory, Integer> counts = new EnumMap<>(SafetyCategory.class);
    for (SafetyFinding f : lexicon) {
      if (head.members().contains(f.category())
          && f.hasSpan()
          && f.start() >= window.start()
          && f.start() < window.end()) {
        counts.merge(f.category(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(head.category());
  }

  /** The windows the encoder reads for {@code text}, for the trainer. */
  public List<Windows.Window> windows(String text) {
    return Windows.of(encoder.tokenizer().tokenize(text), heads.maxTokens(), maxWindows);
  }
}
