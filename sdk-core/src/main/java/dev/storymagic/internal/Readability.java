package dev.storymagic.internal;

import java.util.Locale;

/**
 * Word counts and the Flesch–Kincaid grade level. Syllables are estimated from vowel groups with
 * the usual English corrections (silent final e, -le endings); good to about half a grade, which is
 * what a reading band needs.
 */
public final class Readability {
  private Readability() {}

  /** Words: maximal runs of letters, digits and apostrophes. */
  public static int wordCount(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean wordChar = isWordChar(text.charAt(i));
      if (wordChar && !inWord) {
        words++;
      }
      inWord = wordChar;
    }
    return words;
  }

  /**
   * Sentences: runs of text ended by . ! or ?, and a final unterminated run; at least 1 for
   * non-empty text.
   */
  public static int sentenceCount(String text) {
    int sentences = 0;
    boolean pendingWords = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == '!' || c == '?') {
        if (pendingWords) {
          sentences++;
          pendingWords = false;
        }
      } else if (isWordChar(c)) {
        pendingWords = true;
      }
    }
    if (pendingWords) {
      sentences++;
    }
    return sentences;
  }

  /** Estimated syllables in the whole text. */
  public static int syllableCount(String text) {
    int total = 0;
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean wordChar = i < text.length() && isWordChar(text.charAt(i));
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        total += syllables(text.substring(start, i));
        start = -1;
      }
    }
    return total;
  }

  /** Estimated syllables in one word; at least 1. */
  public static int syllables(String word) {
    String w = word.toLowerCase(Locale.ROOT).replace("'", "");
    if (w.isEmpty()) {
      return 0;
    }
    if (w.length() <= 3) {
      return 1;
    }
    int count = 0;
    boolean prevVowel = false;
    for (int i = 0; i < w.length(); i++) {
      boolean vowel = isVowel(w.charAt(i), i);
      if (vowel && !prevVowel) {
        count++;
      }
      prevVowel = vowel;
    }
    if (w.endsWith("e") && !w.endsWith("le") && !w.endsWith("ee") && count > 1) {
      count--;
    }
    if (w.endsWith("es") || w.endsWith("ed")) {
      char before = w.charAt(w.length() - 3);
      boolean sounded =
          w.endsWith("es") ? "sxzhc".indexOf(before) >= 0 : before == 't' || before == 'd';
      if (!sounded && count > 1) {
        count--;
      }
    }
    return Math.max(1, count);
  }

  /**
   * The Flesch–Kincaid grade level: {@code 0.39 × words/sentence + 11.8 × syllables/word − 15.59}.
   * Zero for text without words.
   */
  public static double fleschKincaidGrade(String text) {
    int words = wordCount(text);
    if (words == 0) {
      return 0;
    }
    int sentences = Math.max(1, sentenceCount(text));
    int syllables = syllableCount(text);
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59;
  }

  private static boolean isVowel(char c, int i) {
    if ("aeiou".indexOf(c) >= 0) {
      return true;
    }
    // y is a vowel except at the start of a word ("yes" vs "happy")
    return c == 'y' && i > 0;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '\'' || c == '\u2019';
  }
}
