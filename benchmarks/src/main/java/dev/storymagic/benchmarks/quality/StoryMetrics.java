package dev.storymagic.benchmarks.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The text figures of the story-quality benchmark, as plain functions of the stories' sentences.
 */
public final class StoryMetrics {
  private StoryMetrics() {}

  /**
   * The share of sentence occurrences whose exact text appears in more than {@code threshold} (a
   * fraction) of the stories: how much of what a reader reads is boilerplate shared across stories.
   */
  public static double sharedSentenceShare(List<List<String>> stories, double threshold) {
    Map<String, Integer> storiesWith = new HashMap<>();
    int occurrences = 0;
    for (List<String> story : stories) {
      for (String s : new HashSet<>(story)) {
        storiesWith.merge(s, 1, Integer::sum);
      }
      occurrences += story.size();
    }
    double limit = threshold * stories.size();
    int shared = 0;
    for (List<String> story : stories) {
      for (String s : story) {
        if (storiesWith.get(s) > limit) {
          shared++;
        }
      }
    }
    return occurrences == 0 ? 0 : (double) shared / occurrences;
  }

  /** The share of a story's sentences that repeat an earlier sentence of the same story. */
  public static double repeatedWithin(List<String> story) {
    if (story.isEmpty()) {
      return 0;
    }
    return (double) (story.size() - new HashSet<>(story).size()) / story.size();
  }

  /** Lower-cased word tokens (letters, digits, apostrophes). */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      if (Character.isLetterOrDigit(c) || c == '\'' || c == '\u2019') {
        w.append(Character.toLowerCase(c));
      } else if (w.length() > 0) {
        out.add(w.toString());
        w.setLength(0);
      }
    }
    return out;
  }

  /**
   * Distinct n-grams over all n-grams in the first {@code tokenCount} tokens; NaN when there are
   * fewer tokens (the figure depends on the count, so only equal counts compare).
   */
  public static double distinctN(List<String> tokens, int n, int tokenCount) {
    if (tokens.size() < tokenCount) {
      return Double.NaN;
    }
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (int i = 0; i + n <= tokenCount; i++) {
      seen.add(String.join(" ", tokens.subList(i, i + n)));
      total++;
    }
    return (double) seen.size() / total;
  }

  /** Jaccard similarity of two stories' sentence sets. */
  public static double jaccard(List<String> a, List<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    Set<String> both = new HashSet<>(a);
    both.retainAll(new HashSet<>(b));
    return union.isEmpty() ? 0 : (double) both.size() / union.size();
  }

  /** The value at quantile {@code q} (0..1) of {@code values}, nearest rank. */
  public static double quantile(List<Double> values, double q) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** Whether any of {@code stems} occurs in {@code text} (lower case) at or after {@code from}. */
  public static boolean containsAny(String text, List<String> stems, int from) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String s : stems) {
      if (lower.indexOf(s.toLowerCase(Locale.ROOT), from) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The first index of any of {@code phrases} in {@code text}, case-insensitive, or -1. */
  public static int firstIndex(String text, List<String> phrases) {
    String lower = text.toLowerCase(Locale.ROOT);
    int best = -1;
    for (String p : phrases) {
      int i = lower.indexOf(p.toLowerCase(Locale.ROOT));
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }
}
