package dev.storymagic.internal.safety;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands the lexicon's pattern notation into plain phrases.
 *
 * <ul>
 *   <li>{@code word} matches itself; {@code word/v} adds verb inflections ({@code -s}, {@code -ed},
 *       {@code -ing}, {@code -er}, with a dropped {@code e} or a doubled last consonant), {@code
 *       word/n} adds plurals;
 *   <li>{@code (a|b c|d/v)} is an alternation of sub-patterns, {@code (...)?} an optional one;
 *   <li>{@code $NAME} stands for a named set defined elsewhere.
 * </ul>
 *
 * Not API.
 */
final class PatternExpander {
  /** A safety net against a typo that would expand one line into millions of phrases. */
  static final int MAX_EXPANSIONS = 50_000;

  private final Map<String, List<String>> sets;
  private String text;
  private int pos;

  PatternExpander(Map<String, List<String>> sets) {
    this.sets = sets;
  }

  List<String> expand(String pattern) {
    this.text = pattern.strip();
    this.pos = 0;
    List<String> result = new ArrayList<>(sequence());
    while (pos < text.length() && text.charAt(pos) == '|') {
      pos++;
      result.addAll(sequence());
    }
    if (pos != text.length()) {
      throw error("unexpected '" + text.charAt(pos) + "'");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String r : result) {
      if (!r.isEmpty()) {
        unique.add(r);
      }
    }
    return new ArrayList<>(unique);
  }

  private List<String> sequence() {
    List<String> acc = new ArrayList<>(List.of(""));
    while (true) {
      skipSpaces();
      if (pos >= text.length() || text.charAt(pos) == '|' || text.charAt(pos) == ')') {
        return acc;
      }
      List<String> item = item();
      List<String> next = new ArrayList<>(acc.size() * item.size());
      for (String a : acc) {
        for (String b : item) {
          next.add(a.isEmpty() ? b : b.isEmpty() ? a : a + " " + b);
        }
      }
      if (next.size() > MAX_EXPANSIONS) {
        throw error("expands to more than " + MAX_EXPANSIONS + " phrases");
      }
      acc = next;
    }
  }

  private List<String> item() {
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      List<String> options = new ArrayList<>();
      while (true) {
        options.addAll(sequence());
        if (pos >= text.length()) {
          throw error("unclosed '('");
        }
        char d = text.charAt(pos++);
        if (d == ')') {
          break;
        }
      }
      if (pos < text.length() && text.charAt(pos) == '?') {
        pos++;
        options.add("");
      }
      return options;
    }
    if (c == '$') {
      int start = ++pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      String name = text.substring(start, pos);
      List<String> set = sets.get(name);
      if (set == null) {
        throw error("unknown set $" + name);
      }
      return set;
    }
    int start = pos;
    while (pos < text.length() && isWordChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("unexpected '" + c + "'");
    }
    String word = text.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
    if (pos + 1 < text.length() && text.charAt(pos) == '/') {
      char kind = text.charAt(pos + 1);
      pos += 2;
      if (kind == 'v') {
        return verbForms(word);
      }
      if (kind == 'n') {
        return nounForms(word);
      }
      throw error("unknown inflection /" + kind);
    }
    return List.of(word);
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'';
  }

  private void skipSpaces() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(
        "lexicon pattern '" + text + "' at " + pos + ": " + message);
  }

  static List<String> nounForms(String w) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(w);
    if (endsWithSibilant(w)) {
      forms.add(w + "es");
    } else if (consonantY(w)) {
      forms.add(w.substring(0, w.length() - 1) + "ies");
    } else {
      forms.add(w + "s");
    }
    return new ArrayList<>(forms);
  }

  static List<String> verbForms(String w) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(w);
    if (w.endsWith("e")) {
      String stem = w.substring(0, w.length() - 1);
      forms.add(w + "s");
      forms.add(w + "d");
      forms.add(stem + "ing");
      forms.add(w + "r");
      forms.add(w + "rs");
    } else if (consonantY(w)) {
      String stem = w.substring(0, w.length() - 1);
      forms.add(stem + "ies");
      forms.add(stem + "ied");
      forms.add(w + "ing");
      forms.add(stem + "ier");
    } else {
      forms.add(endsWithSibilant(w) ? w + "es" : w + "s");
      forms.add(w + "ed");
      forms.add(w + "ing");
      forms.add(w + "er");
      forms.add(w + "ers");
      if (cvc(w)) {
        char last = w.charAt(w.length() - 1);
        forms.add(w + last + "ed");
        forms.add(w + last + "ing");
        forms.add(w + last + "er");
        forms.add(w + last + "ers");
      }
    }
    return new ArrayList<>(forms);
  }

  private static boolean endsWithSibilant(String w) {
    return w.endsWith("s")
        || w.endsWith("x")
        || w.endsWith("z")
        || w.endsWith("ch")
        || w.endsWith("sh");
  }

  private static boolean consonantY(String w) {
    return w.length() > 1 && w.endsWith("y") && !isVowel(w.charAt(w.length() - 2));
  }

  private static boolean cvc(String w) {
    int n = w.length();
    if (n < 3) {
      return false;
    }
    char a = w.charAt(n - 3);
    char b = w.charAt(n - 2);
    char c = w.charAt(n - 1);
    return !isVowel(a) && isVowel(b) && !isVowel(c) && c != 'w' && c != 'x' && c != 'y';
  }

  private static boolean isVowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  }
}
