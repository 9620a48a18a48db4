package dev.storymagic.internal.quality;

import dev.storymagic.internal.QualityChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds seams in story text: places where words were joined into a sentence that no careful writer
 * would let through, the way a template fed with user text breaks ("Luna was a she is a brave
 * girl", "the the", "they was", "a owl"). Only what can be told from the text alone, with no false
 * alarms on ordinary prose ("bye bye", "a unicorn", "an hour", "as if it were"): a seam is a hard
 * quality failure, and the offline engine uses the same check on every sentence it writes, so it
 * never returns one.
 *
 * <p>Allocation-light, no regular expressions; one pass over the words. Thread-safe (stateless).
 */
public final class SeamCheck {
  private SeamCheck() {}

  /** Words that cannot follow an article. */
  private static final WordSet NOT_AFTER_ARTICLE =
      WordSet.of(
          "she", "he", "they", "we", "i", "is", "was", "are", "were", "has", "have", "a", "an",
          "the", "my", "our", "am", "does", "did");

  private static final WordSet ARTICLES = WordSet.of("a", "an", "the");
  private static final WordSet PLURAL_SUBJECTS = WordSet.of("they", "we", "you");
  private static final WordSet SINGULAR_VERBS =
      WordSet.of("was", "wasn't", "has", "is", "isn't", "does", "doesn't");
  private static final WordSet SINGULAR_SUBJECTS = WordSet.of("he", "she", "it");
  private static final WordSet PLURAL_VERBS = WordSet.of("were", "weren't", "are", "aren't", "am");

  /**
   * Words before a subject that make its verb correct anyway: a question ("were they", "was it") or
   * the subjunctive ("as if it were").
   */
  private static final WordSet QUESTION_LEADS =
      WordSet.of(
          "were", "are", "have", "do", "did", "would", "could", "should", "will", "can", "was",
          "is", "if");

  /** Words children's stories do double on purpose ("bye bye", "knock knock", "very very"). */
  private static final WordSet DOUBLES =
      WordSet.of(
          "bye", "choo", "knock", "night", "ha", "he", "hee", "ho", "la", "yum", "very", "no",
          "yes", "go", "boo", "tick", "tap", "pit", "zoom", "beep", "woof", "quack", "baa", "moo",
          "buzz", "tweet", "splash", "drip", "that", "had", "hip", "hop", "oh", "wow", "up",
          "round", "clap", "cheep", "puff", "chug", "ding", "dong", "honk", "hush", "shh", "tip",
          "toe", "bang", "boom");

  /**
   * Vowel-initial words that take "a" (a unicorn, a one-eyed owl) and consonant-initial ones that
   * take "an", by how they start.
   */
  private static final WordSet A_BEFORE_VOWEL =
      WordSet.of(
          "uni", "use", "usu", "uto", "ure", "uku", "one", "once", "eu", "ewe", "uti", "ufo");

  private static final WordSet AN_BEFORE_CONSONANT =
      WordSet.of("hour", "honest", "honour", "honor", "heir");

  /**
   * The seams in {@code text}, each as a short description with the words around it; empty if none.
   * The offline engine calls this for every sentence it writes, so the words are compared where
   * they stand in the text: no string is made of a word unless it is part of a seam.
   */
  public static List<String> find(String text) {
    List<String> seams = new ArrayList<>(0);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (next == ' '
            || next == ','
            || next == '.'
            || next == '!'
            || next == '?'
            || next == ';') {
          seams.add("a space out of place: " + around(text, i, i + 2));
        }
      } else if ((c == ',' || c == '.')
          && i + 1 < text.length()
          && text.charAt(i + 1) == c
          && !(c == '.' && i + 2 < text.length() && text.charAt(i + 2) == '.')) {
        seams.add("doubled punctuation: " + around(text, i, i + 2));
      }
    }
    Words words = new Words(text);
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      boolean part =
          Character.isLetterOrDigit(c)
              || ((c == '\'' || c == '\u2019' || c == '-')
                  && start >= 0
                  && i + 1 < text.length()
                  && Character.isLetter(text.charAt(i + 1)));
      if (part && start < 0) {
        start = i;
      } else if (!part && start >= 0) {
        words.next(start, i, seams);
        start = -1;
      }
    }
    return seams;
  }

  /**
   * The scan's last three words, as spans of the text: the word before the previous one ({@code
   * lead}), the previous one and the current one; a start of -1 is a word not seen yet. One per
   * scan.
   */
  private static final class Words {
    private final String text;
    private int leadStart = -1;
    private int leadEnd = -1;
    private int previousStart = -1;
    private int previousEnd = -1;
    private int start = -1;
    private int end = -1;

    Words(String text) {
      this.text = text;
    }

    /** Moves on to the word at [start, end), adding the seams it makes with the one before. */
    void next(int wordStart, int wordEnd, List<String> seams) {
      leadStart = previousStart;
      leadEnd = previousEnd;
      previousStart = start;
      previousEnd = end;
      start = wordStart;
      end = wordEnd;
      if (previousStart >= 0 && onlySpacesBetween(text, previousEnd, start)) {
        seams(seams);
      }
    }

    private void seams(List<String> seams) {
      boolean same = sameWord(text, previousStart, previousEnd, start, end);
      if (same && Character.isLetter(text.charAt(start)) && !DOUBLES.has(text, start, end)) {
        seams.add("a doubled word: " + shown());
      }
      if (!same
          && ARTICLES.has(text, previousStart, previousEnd)
          && NOT_AFTER_ARTICLE.has(text, start, end)) {
        seams.add("an article before '" + word(start, end) + "': " + shown());
      }
      // names and acronyms ("a European", "an MRI") are left alone: their sound is not in their
      // spelling
      boolean lowerCase = Character.isLowerCase(text.charAt(start));
      if (lowerCase && WordSet.is(text, previousStart, previousEnd, "a") && takesAn()) {
        seams.add("'a' before a vowel sound: " + shown());
      }
      if (lowerCase
          && WordSet.is(text, previousStart, previousEnd, "an")
          && !takesAn()
          && Character.isLetter(text.charAt(start))) {
        seams.add("'an' before a consonant sound: " + shown());
      }
      if (disagrees() && !(leadStart >= 0 && QUESTION_LEADS.has(text, leadStart, leadEnd))) {
        seams.add(
            "'" + word(previousStart, previousEnd) + " " + word(start, end) + "': " + shown());
      }
    }

    /** Whether the previous word is a subject the word, a verb, does not agree with. */
    private boolean disagrees() {
      if (PLURAL_SUBJECTS.has(text, previousStart, previousEnd)) {
        return SINGULAR_VERBS.has(text, start, end);
      }
      return SINGULAR_SUBJECTS.has(text, previousStart, previousEnd)
          && PLURAL_VERBS.has(text, start, end);
    }

    /** Whether the word takes "an": it starts with a vowel sound. */
    private boolean takesAn() {
      char first = text.charAt(start);
      if (!Character.isLetter(first)) {
        return false;
      }
      if (AN_BEFORE_CONSONANT.starts(text, start, end)) {
        return true;
      }
      return "aeiou".indexOf(WordSet.fold(first)) >= 0 && !A_BEFORE_VOWEL.starts(text, start, end);
    }

    private String word(int from, int to) {
      return text.substring(from, to).toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    }

    private String shown() {
      return around(text, previousStart, end);
    }
  }

  /**
   * A few lower-case words, matched against a span of text ignoring case, with the typographic
   * apostrophe read as a straight one. A scan of a short array: these sets hold at most fifty
   * words, and most spans differ from each of them in length.
   */
  private static final class WordSet {
    private final String[] words;

    private WordSet(String[] words) {
      this.words = words;
    }

    static WordSet of(String... words) {
      return new WordSet(words);
    }

    /** Whether the span is one of the words. */
    boolean has(String text, int start, int end) {
      for (String word : words) {
        if (is(text, start, end, word)) {
          return true;
        }
      }
      return false;
    }

    /** Whether the span starts with one of the words. */
    boolean starts(String text, int start, int end) {
      for (String word : words) {
        if (word.length() <= end - start && matches(text, start, word)) {
          return true;
        }
      }
      return false;
    }

    static boolean is(String text, int start, int end, String word) {
      return end - start == word.length() && matches(text, start, word);
    }

    private static boolean matches(String text, int start, String word) {
      for (int i = 0; i < word.length(); i++) {
        if (fold(text.charAt(start + i)) != word.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    static char fold(char c) {
      return c == '\u2019' ? '\'' : Character.toLowerCase(c);
    }
  }

  private static boolean sameWord(String text, int aStart, int aEnd, int bStart, int bEnd) {
    if (aEnd - aStart != bEnd - bStart) {
      return false;
    }
    for (int i = 0; i < aEnd - aStart; i++) {
      if (WordSet.fold(text.charAt(aStart + i)) != WordSet.fold(text.charAt(bStart + i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The quality gate's hard check: the seams of a draft's title and body, at most three of them
   * described, or empty when it has none.
   */
  public static Optional<String> problem(QualityChecks.Draft draft) {
    List<String> seams = find(draft.title() + "\n\n" + draft.text());
    if (seams.isEmpty()) {
      return Optional.empty();
    }
    String shown = String.join("; ", seams.subList(0, Math.min(3, seams.size())));
    return Optional.of(seams.size() <= 3 ? shown : shown + " and " + (seams.size() - 3) + " more");
  }

  /** Whether {@code text} has no seam. */
  public static boolean clean(String text) {
    return find(text).isEmpty();
  }

  private static boolean onlySpacesBetween(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }

  private static String around(String text, int start, int end) {
    return "'"
        + text.substring(Math.max(0, start - 20), Math.min(text.length(), end + 20)).strip()
        + "'";
  }
}
