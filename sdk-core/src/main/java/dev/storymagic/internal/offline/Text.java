package dev.storymagic.internal.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Small, allocation-light helpers for the English the engine writes. No regular expressions. */
final class Text {
  private Text() {}

  private static final Set<String> TITLE_SMALL_WORDS =
      Set.of(
          "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "up");

  /** Trims, collapses runs of whitespace and drops surrounding quotes and trailing . ! , ; : */
  static String clean(String raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    boolean space = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isWhitespace(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    int start = 0;
    int end = sb.length();
    while (start < end && isQuote(sb.charAt(start))) {
      start++;
    }
    while (end > start
        && (isQuote(sb.charAt(end - 1)) || ".!,;:".indexOf(sb.charAt(end - 1)) >= 0)) {
      end--;
    }
    return sb.substring(start, end).strip();
  }

  private static boolean isQuote(char c) {
    return c == '"'
        || c == '\''
        || c == '\u201c'
        || c == '\u201d'
        || c == '\u2018'
        || c == '\u2019';
  }

  /** Splits on single spaces (the input is {@link #clean}ed). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        if (i > start) {
          out.add(text.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The word lower-cased and stripped of punctuation at either end, for look-ups. */
  static String key(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && !Character.isLetterOrDigit(word.charAt(start))) {
      start++;
    }
    while (end > start && !Character.isLetterOrDigit(word.charAt(end - 1))) {
      end--;
    }
    return word.substring(start, end).toLowerCase(Locale.ROOT).replace('\u2019', '\'');
  }

  static String capitalize(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetter(c)) {
        return Character.isUpperCase(c)
            ? s
            : s.substring(0, i) + Character.toUpperCase(c) + s.substring(i + 1);
      }
      if (Character.isDigit(c)) {
        return s;
      }
    }
    return s;
  }

  /**
   * Lower-cases the first letter when the first word is one of {@code words} ("The moon" → "the
   * moon").
   */
  static String lowerLeading(String s, Set<String> words) {
    if (s.isEmpty() || !Character.isUpperCase(s.charAt(0))) {
      return s;
    }
    int space = s.indexOf(' ');
    String first = key(space < 0 ? s : s.substring(0, space));
    if (!words.contains(first)) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** "a" or "an" for the word that follows. */
  static String article(String nextWord) {
    if (nextWord.isEmpty()) {
      return "a";
    }
    char c = Character.toLowerCase(nextWord.charAt(0));
    String w = nextWord.toLowerCase(Locale.ROOT);
    if (w.startsWith("uni") || w.startsWith("use") || w.startsWith("one") || w.startsWith("eu")) {
      return "a";
    }
    if (w.startsWith("hour") || w.startsWith("honest")) {
      return "an";
    }
    return "aeiou".indexOf(c) >= 0 ? "an" : "a";
  }

  /**
   * Title case inside a title: every word capitalised except short joining words (even the first).
   */
  static String titleCase(String s) {
    List<String> ws = words(s);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < ws.size(); i++) {
      String w = ws.get(i);
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(TITLE_SMALL_WORDS.contains(w) ? w : capitalize(w));
    }
    return sb.toString();
  }

  /** Joins names as "A", "A and B", "A, B and C". */
  static String list(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    if (items.size() == 1) {
      return items.get(0);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(i == items.size() - 1 ? " and " : ", ");
      }
      sb.append(items.get(i));
    }
    return sb.toString();
  }

  /**
   * Replaces "my" and "our" in the child's own words with the hero's possessive, so "under my bed"
   * becomes "under Mia's bed": the narrator is not the child.
   */
  static String ownWords(String text, String possessive) {
    List<String> ws = words(text);
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (String w : ws) {
      String k = key(w);
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if ((k.equals("my") || k.equals("our")) && w.length() == k.length()) {
        sb.append(possessive);
      } else {
        sb.append(w);
      }
    }
    return sb.toString();
  }

  /** "Mia's", "James's"; a plural name ending in s takes only the apostrophe: "the Twins'". */
  static String possessive(String name, boolean plural) {
    return plural && name.endsWith("s") ? name + "'" : name + "'s";
  }

  /**
   * Abbreviations that end in a full stop but do not end a sentence ("Dr. Lee", "St. Louis"). Kept
   * to titles and place words a child's story uses; a single capital letter ("J. Smith") is one
   * too.
   */
  static final Set<String> ABBREVIATIONS =
      Set.of(
          "dr", "mr", "mrs", "ms", "mx", "st", "mt", "jr", "sr", "prof", "capt", "lt", "sgt",
          "rev");

  /**
   * Whether the full stop at {@code dot} ends an abbreviation such as "Dr" or an initial, so the
   * text after it goes on in the same sentence.
   */
  static boolean endsWithAbbreviation(CharSequence text, int dot) {
    if (dot >= text.length() || text.charAt(dot) != '.') {
      return false;
    }
    int start = dot;
    while (start > 0 && Character.isLetter(text.charAt(start - 1))) {
      start--;
    }
    int n = dot - start;
    if (n == 0
        || (start > 0
            && !Character.isWhitespace(text.charAt(start - 1))
            && text.charAt(start - 1) != '"'
            && text.charAt(start - 1) != '(')) {
      return false;
    }
    if (n == 1) {
      return Character.isUpperCase(text.charAt(start));
    }
    if (n > 4 || !Character.isUpperCase(text.charAt(start))) {
      return false;
    }
    return ABBREVIATIONS.contains(text.subSequence(start, dot).toString().toLowerCase(Locale.ROOT));
  }

  /**
   * Lower-cases the first letter when the word it starts is plainly not a name: its second letter
   * is lower case and the text is not "I ...". Used for theme names ("Robot friends" → "robot
   * friends").
   */
  static String lowerLeadingIfWord(String s) {
    if (s.length() < 2
        || !Character.isUpperCase(s.charAt(0))
        || !Character.isLowerCase(s.charAt(1))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
