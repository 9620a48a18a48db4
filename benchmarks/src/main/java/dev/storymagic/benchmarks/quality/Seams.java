package dev.storymagic.benchmarks.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds seams in a story: places where user text was pasted into a sentence pattern and the English
 * broke. Written for the benchmark on its own (it shares no code with the engine's own checks), so
 * the engine cannot pass it by construction.
 */
public final class Seams {
  private Seams() {}

  private static final Pattern DOUBLED = ignoringCase("\\b(\\p{L}+) \\1\\b");
  private static final Pattern BEFORE_PRONOUN =
      ignoringCase(
          "\\b(a|an|the) (she|he|they|we|i|is|was|are|were|has|had|loves|likes|a|an|the|my|our)\\b"
              + "|\\b(was|is|were) (is|was|are|were)\\b");
  private static final Pattern AGREEMENT =
      ignoringCase("\\b(they|we|you) (was|has|is|does)\\b|\\b(he|she|it) (were|have|are|do)\\b");
  private static final Pattern A_VOWEL = Pattern.compile("\\b[Aa] ([aeiouAEIOU]\\p{L}*)");
  private static final Pattern AN_CONSONANT =
      Pattern.compile("\\b[Aa]n ([b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z]\\p{L}*)");
  private static final Pattern MY_OUR = Pattern.compile("\\b(my|our|My|Our)\\b");
  private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|\u201c[^\u201d]*\u201d");
  private static final Pattern ABBREVIATION_END =
      Pattern.compile("\\b(Dr|Mr|Mrs|Ms|St|Mt|Prof|Capt)\\.$");
  private static final Pattern SPACE_PUNCT = Pattern.compile(" [,.!?;:]|\\.\\.|,,|  |[{}]");

  private static Pattern ignoringCase(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  /**
   * The seams in {@code sentences} (a story split by the engine's own splitter) for a request with
   * the given character names; {@code pluralFirst} marks a first name that is plural ("The Twins").
   */
  public static List<String> find(
      String title, List<String> sentences, List<String> names, boolean pluralFirst) {
    List<String> seams = new ArrayList<>();
    String text = String.join(" ", sentences);
    find(DOUBLED, text, "doubled word", seams);
    find(BEFORE_PRONOUN, text, "article or verb before a pronoun, verb or article", seams);
    find(AGREEMENT, text, "subject-verb agreement", seams);
    Matcher a = A_VOWEL.matcher(text);
    while (a.find()) {
      String w = a.group(1).toLowerCase(Locale.ROOT);
      if (!(w.startsWith("uni")
          || w.startsWith("use")
          || w.startsWith("one")
          || w.startsWith("eu")
          || (w.startsWith("u") && w.length() > 2 && w.charAt(2) == 'i'))) {
        seams.add("'a' before a vowel: " + a.group());
      }
    }
    Matcher an = AN_CONSONANT.matcher(text);
    while (an.find()) {
      String w = an.group(1).toLowerCase(Locale.ROOT);
      if (!w.startsWith("hour") && !w.startsWith("honest") && !w.startsWith("heir")) {
        seams.add("'an' before a consonant: " + an.group());
      }
    }
    find(MY_OUR, QUOTED.matcher(text).replaceAll(""), "'my'/'our' in narration", seams);
    find(SPACE_PUNCT, text, "punctuation or leftover slot", seams);
    for (String s : sentences) {
      if (ABBREVIATION_END.matcher(s).find()) {
        seams.add("sentence ends at an abbreviation: " + tail(s));
      }
      int first = firstLetter(s);
      if (first >= 0 && Character.isLowerCase(s.charAt(first))) {
        seams.add("sentence starts in lower case: " + head(s));
      }
      char last = s.charAt(s.length() - 1);
      if (".!?\"\u201d'".indexOf(last) < 0) {
        seams.add("sentence without an end: " + tail(s));
      }
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).strip();
      if (name.isEmpty()) {
        continue;
      }
      checkName(name, text + " " + title, i == 0 && pluralFirst, seams);
    }
    return seams;
  }

  private static void checkName(String name, String text, boolean plural, List<String> seams) {
    String bare = name.replaceFirst("^(?i)the ", "");
    Matcher m = ignoringCase("\\b" + Pattern.quote(bare) + "\\b").matcher(text);
    String firstForm = null;
    int full = 0;
    while (m.find()) {
      full++;
      String form = m.group();
      if (firstForm == null) {
        firstForm = form;
      } else if (!form.equals(firstForm)) {
        seams.add("name written two ways: " + firstForm + " / " + form);
        firstForm = form;
      }
    }
    // a long name (three words or more; "Kai and Noor" is two names) should be shortened after its
    // first mentions
    if (bare.split(" ").length >= 3 && !bare.contains(" and ") && full > 3) {
      seams.add("long name repeated in full " + full + " times: " + name);
    }
    if (plural) {
      find(
          Pattern.compile("\\b" + Pattern.quote(bare) + " (was|has|is|loves|likes|does)\\b"),
          text,
          "plural name with a singular verb",
          seams);
      if (bare.endsWith("s")) {
        find(
            Pattern.compile("\\b" + Pattern.quote(bare) + "'s\\b"),
            text,
            "plural name with 's",
            seams);
      }
    }
  }

  private static void find(Pattern p, String text, String what, List<String> seams) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      seams.add(what + ": " + around(text, m.start(), m.end()));
    }
  }

  private static String around(String text, int start, int end) {
    return "'" + text.substring(Math.max(0, start - 25), Math.min(text.length(), end + 25)) + "'";
  }

  private static int firstLetter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String head(String s) {
    return "'" + s.substring(0, Math.min(40, s.length())) + "'";
  }

  private static String tail(String s) {
    return "'" + s.substring(Math.max(0, s.length() - 40)) + "'";
  }
}
