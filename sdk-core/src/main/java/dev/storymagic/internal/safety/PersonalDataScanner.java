package dev.storymagic.internal.safety;

import dev.storymagic.SafetyCategory;
import dev.storymagic.Severity;
import dev.storymagic.spi.SafetyStage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds contact details: e-mail addresses (also written {@code name at mail dot com}), phone
 * numbers and, in the user's own text, street addresses and postcodes. Phone numbers are found by a
 * hand-written scan; the regular expressions are compiled once and run only when a cheap test says
 * they could match.
 *
 * <p>Not API.
 */
final class PersonalDataScanner {
  private static final Pattern EMAIL =
      Pattern.compile(
          "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}");
  private static final Pattern SPELLED_EMAIL =
      Pattern.compile(
          "\\b[a-z0-9._-]{2,64}\\s*(?:\\(at\\)|\\[at\\]|\\{at\\}|\\sat\\s)\\s*[a-z0-9-]{2,63}\\s*"
              + "(?:\\(dot\\)|\\[dot\\]|\\{dot\\}|\\sdot\\s|\\.)\\s*(?:com|net|org|edu|gov|co|uk|io|de|fr|us|ca|au|info|me)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern STREET =
      Pattern.compile(
          "\\b\\d{1,5}[A-Za-z]?,?\\s+(?:(?!(?:on|in|at|my|the|our|your|his|her|their|a|an|to|of|by|and|near|down|up|from|is|was)\\b)"
              + "[A-Za-z'.-]+\\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|boulevard|blvd|way|close"
              + "|crescent|place|pl|terrace|highway|hwy|parkway|pkwy|square|sq|circle|cir|trail|gardens)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern POSTCODE =
      Pattern.compile("\\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\\b");

  private PersonalDataScanner() {}

  static void scan(String text, SafetyStage stage, List<SafetyScanner.Hit> hits) {
    if (text.indexOf('@') >= 0) {
      find(EMAIL, text, Severity.HIGH, hits);
    }
    boolean input = stage == SafetyStage.INPUT;
    boolean digits = phones(text, hits);
    if (input) {
      if (text.length() < 4_000 && mayHoldSpelledEmail(text)) {
        find(SPELLED_EMAIL, text, Severity.HIGH, hits);
      }
      if (digits) {
        find(STREET, text, Severity.HIGH, hits);
        find(POSTCODE, text, Severity.MEDIUM, hits);
      }
    }
  }

  /**
   * Whether {@code text} has the "at" that {@link #SPELLED_EMAIL} needs: {@code (at)}, {@code
   * [at]}, {@code {at}} or the word at between whitespace, in any case. The expression backtracks
   * through every word of the text (about 8 us for a request's 250 characters), so it runs only
   * then.
   */
  static boolean mayHoldSpelledEmail(String text) {
    for (int i = 1; i + 2 < text.length(); i++) {
      if ((text.charAt(i) | 0x20) == 'a'
          && (text.charAt(i + 1) | 0x20) == 't'
          && opensAt(text.charAt(i - 1))
          && closesAt(text.charAt(i + 2))) {
        return true;
      }
    }
    return false;
  }

  private static boolean opensAt(char c) {
    return c == '(' || c == '[' || c == '{' || isRegexSpace(c);
  }

  private static boolean closesAt(char c) {
    return c == ')' || c == ']' || c == '}' || isRegexSpace(c);
  }

  /**
   * {@code \s} without UNICODE_CHARACTER_CLASS: space, tab, newline, vertical tab, form feed,
   * return.
   */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static void find(
      Pattern pattern, String text, Severity severity, List<SafetyScanner.Hit> hits) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      hits.add(
          new SafetyScanner.Hit(SafetyCategory.PERSONAL_DATA, severity, 1.0, m.start(), m.end()));
    }
  }

  /** Reports phone numbers; returns whether the text has any digit at all. */
  static boolean phones(String text, List<SafetyScanner.Hit> hits) {
    int n = text.length();
    boolean anyDigit = false;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      boolean startsNumber =
          isDigit(c) || ((c == '+' || c == '(') && i + 1 < n && isDigit(text.charAt(i + 1)));
      if (!startsNumber || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
        anyDigit |= isDigit(c);
        i++;
        continue;
      }
      anyDigit = true;
      int start = i;
      boolean plus = c == '+';
      NumberShape shape = new NumberShape(i);
      int j = i;
      while (j < n) {
        char d = text.charAt(j);
        if (isDigit(d)) {
          shape.digit(j);
        } else if (d == ' '
            || d == '-'
            || d == '.'
            || d == '('
            || d == ')'
            || (d == '+' && j == start)) {
          shape.endGroup();
          if (d == ' ' && j + 1 < n && !isDigit(text.charAt(j + 1)) && text.charAt(j + 1) != '(') {
            break;
          }
        } else {
          break;
        }
        j++;
      }
      shape.endGroup();
      int end = shape.lastDigit + 1;
      boolean boundary = end >= n || !Character.isLetterOrDigit(text.charAt(end));
      if (boundary && shape.looksLikePhone(plus)) {
        hits.add(
            new SafetyScanner.Hit(SafetyCategory.PERSONAL_DATA, Severity.HIGH, 1.0, start, end));
      }
      i = Math.max(end, i + 1);
    }
    return anyDigit;
  }

  /** The digits of a candidate number and how separators group them. */
  private static final class NumberShape {
    int digits;
    int groups;
    int firstGroup;
    int shortGroups;
    int longestGroup;
    int group;
    int lastDigit;

    NumberShape(int start) {
      this.lastDigit = start;
    }

    void digit(int at) {
      digits++;
      group++;
      lastDigit = at;
    }

    /** A separator or the number's end closes the group of digits before it, if any. */
    void endGroup() {
      if (group == 0) {
        return;
      }
      groups++;
      if (groups == 1) {
        firstGroup = group;
      } else if (group < 2) {
        shortGroups++;
      }
      longestGroup = Math.max(longestGroup, group);
      group = 0;
    }

    boolean looksLikePhone(boolean plus) {
      if (digits < 7 || digits > 15 || groups > 6 || shortGroups > 0 || longestGroup < 3) {
        return false;
      }
      if (groups == 1) {
        return digits >= 10 || (plus && digits >= 8);
      }
      if (firstGroup == 1) {
        return plus || digits >= 11;
      }
      // A date such as 12.05.2023 or 2023-05-12 is not a phone number.
      return !(groups == 3 && digits == 8 && longestGroup == 4);
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
