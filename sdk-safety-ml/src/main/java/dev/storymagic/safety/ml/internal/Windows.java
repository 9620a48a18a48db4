package dev.storymagic.safety.ml.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text's tokens into windows the encoder reads one at a time: whole sentences packed
 * together up to a token budget, a sentence longer than the budget cut into pieces. A window keeps
 * the span of text it covers so a finding can point at it.
 */
public final class Windows {
  private Windows() {}

  /**
   * A window: its input ids with {@code [CLS]} and {@code [SEP]}, and the characters it covers.
   *
   * @param ids token ids, special tokens included
   * @param start first character covered (inclusive)
   * @param end last character covered (exclusive)
   */
  @SuppressWarnings("ArrayRecordComponent") // a read-only view of token ids, never compared
  public record Window(int[] ids, int start, int end) {}

  /**
   * Packs sentences into windows of at most {@code maxTokens} tokens (special tokens included).
   * Returns at most {@code maxWindows} windows; an empty text yields one empty window so every text
   * has a score.
   */
  public static List<Window> of(WordPieceTokenizer.Tokens tokens, int maxTokens, int maxWindows) {
    int budget = maxTokens - 2;
    List<Window> out = new ArrayList<>();
    int n = tokens.size();
    if (n == 0) {
      out.add(new Window(new int[] {WordPieceTokenizer.CLS, WordPieceTokenizer.SEP}, 0, 0));
      return out;
    }
    int windowStart = 0;
    int lastSentenceEnd = -1; // index of the last sentence-ending token inside the current window
    int i = 0;
    while (i < n && out.size() < maxWindows) {
      if (i - windowStart == budget) {
        // Full: close at the last sentence end if there is one, else cut mid-sentence.
        int cut = lastSentenceEnd >= windowStart ? lastSentenceEnd + 1 : i;
        out.add(window(tokens, windowStart, cut));
        windowStart = cut;
        lastSentenceEnd = -1;
        i = cut;
        continue;
      }
      if (tokens.endsSentence(i)) {
        lastSentenceEnd = i;
      }
      i++;
    }
    if (windowStart < n && out.size() < maxWindows) {
      out.add(window(tokens, windowStart, n));
    }
    return out;
  }

  private static Window window(WordPieceTokenizer.Tokens tokens, int from, int to) {
    int[] ids = new int[to - from + 2];
    ids[0] = WordPieceTokenizer.CLS;
    for (int k = from; k < to; k++) {
      ids[k - from + 1] = tokens.id(k);
    }
    ids[ids.length - 1] = WordPieceTokenizer.SEP;
    return new Window(ids, tokens.start(from), tokens.end(to - 1));
  }
}
