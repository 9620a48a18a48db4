package dev.storymagic.internal.quality;

import dev.storymagic.internal.QualityChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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
  private static final Set<String> NOT_AFTER_ARTICLE =
      Set.of(
          "she", "he", "they", "we", "i", "is", "was", "are", "were", "has", "have", "a", "an",
          "the", "my", "our", "am", "does", "did");

  private static final Set<String> ARTICLES = Set.of("a", "an", "the");
  private static final Set<String> PLURAL_SUBJECTS = Set.of("they", "we", "you");
  private static final Set<String> SINGULAR_VERBS =
      Set.of("was", "wasn't", "has", "is", "isn't", "does", "doesn't");
  private static final Set<String> SINGULAR_SUBJECTS = Set.of("he", "she", "it");
  private static final Set<String> PLURAL_VERBS = Set.of("were", "weren't", "are", "aren't", "am");

  /**
   * Words before a subject that make its verb correct anyway: a question ("were they", "was it") or
   * the subjunctive ("as if it were").
   */
  private static final Set<String> QUESTION_LEADS =
      Set.of(
          "were", "are", "have", "do", "did", "would", "could", "should", "will", "can", "was",
          "is", "if");

  /** Words children's stories do double on purpose ("bye bye", "knock knock", "very very"). */
  private static final Set<String> DOUBLES =
      Set.of(
          "bye", "choo", "knock", "night", "ha", "he", "hee", "ho", "la", "yum", "very", "no",
          "yes", "go", "boo", "tick", "tap", "pit", "zoom", "beep", "woof", "quack", "baa", "moo",
          "buzz", "tweet", "splash", "drip", "that", "had", "hip", "hop", "oh", "wow", "up",
          "round", "clap", "cheep", "puff", "chug", "ding", "dong", "honk", "hush", "shh", "tip",
          "toe", "bang", "boom");

  /**
   * Vowel-initial words that take "a" (a unicorn, a one-eyed owl) and consonant-initial ones that
   * take "an".
   */
  private static final String[] A_BEFORE_VOWEL = {
    "uni", "use", "usu", "uto", "ure", "uku", "one", "once", "eu", "ewe", "uti", "ufo"
  };

  private static final String[] AN_BEFORE_CONSONANT = {"hour", "honest", "honour", "honor", "heir"};

  /**
   * The seams in {@code text}, each as a short description with the words around it; empty if none.
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
    List<int[]> words = words(text);
    String previous = null;
    int[] previousSpan = null;
    for (int w = 0; w < words.size(); w++) {
      int[] span = words.get(w);
      String word =
          text.substring(span[0], span[1]).toLowerCase(Locale.ROOT).replace('\u2019', '\'');
      boolean joined = previousSpan != null && onlySpacesBetween(text, previousSpan[1], span[0]);
      if (joined && previous != null) {
        if (word.equals(previous)
            && Character.isLetter(word.charAt(0))
            && !DOUBLES.contains(word)) {
          seams.add("a doubled word: " + around(text, previousSpan[0], span[1]));
        }
        if (ARTICLES.contains(previous)
            && NOT_AFTER_ARTICLE.contains(word)
            && !word.equals(previous)) {
          seams.add("an article before '" + word + "': " + around(text, previousSpan[0], span[1]));
        }
        // names and acronyms ("a European", "an MRI") are left alone: their sound is not in their
        // spelling
        boolean lowerCase = Character.isLowerCase(text.charAt(span[0]));
        if (previous.equals("a") && lowerCase && takesAn(word)) {
          seams.add("'a' before a vowel sound: " + around(text, previousSpan[0], span[1]));
        }
        if (previous.equals("an")
            && lowerCase
            && !takesAn(word)
            && Character.isLetter(word.charAt(0))) {
          seams.add("'an' before a consonant sound: " + around(text, previousSpan[0], span[1]));
        }
        if (PLURAL_SUBJECTS.contains(previous)
            && SINGULAR_VERBS.contains(word)
            && !question(text, words, w - 1)) {
          seams.add("'" + previous + " " + word + "': " + around(text, previousSpan[0], span[1]));
        }
        if (SINGULAR_SUBJECTS.contains(previous)
            && PLURAL_VERBS.contains(word)
            && !question(text, words, w - 1)) {
          seams.add("'" + previous + " " + word + "': " + around(text, previousSpan[0], span[1]));
        }
      }
      previous = word;
      previousSpan = span;
    }
    return seams;
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

  /**
   * "were they", "was it": the subject at {@code w} follows a verb, so it is a question, not a
   * seam.
   */
  private static boolean question(String text, List<int[]> words, int w) {
    if (w == 0) {
      return false;
    }
    int[] before = words.get(w - 1);
    String lead = text.substring(before[0], before[1]).toLowerCase(Locale.ROOT);
    return QUESTION_LEADS.contains(lead);
  }

  private static boolean takesAn(String word) {
    if (word.isEmpty() || !Character.isLetter(word.charAt(0))) {
      return false;
    }
    for (String p : AN_BEFORE_CONSONANT) {
      if (word.startsWith(p)) {
        return true;
      }
    }
    if ("aeiou".indexOf(word.charAt(0)) < 0) {
      return false;
    }
    for (String p : A_BEFORE_VOWEL) {
      if (word.startsWith(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean onlySpacesBetween(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }

  /** Word spans: runs of letters, digits, apostrophes and inner hyphens. */
  private static List<int[]> words(String text) {
    List<int[]> out = new ArrayList<>(text.length() / 5 + 1);
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
        out.add(new int[] {start, i});
        start = -1;
      }
    }
    return out;
  }

  private static String around(String text, int start, int end) {
    return "'"
        + text.substring(Math.max(0, start - 20), Math.min(text.length(), end + 20)).strip()
        + "'";
  }
}
