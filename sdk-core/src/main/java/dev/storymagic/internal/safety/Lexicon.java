package dev.storymagic.internal.safety;

import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The phrases the local classifier looks for, expanded from the resource files under {@code
 * dev/storymagic/safety/}: one file per category ({@code violence_graphic.txt} for {@code
 * violence/graphic}), named sets in {@code sets.txt}, and phrases that are safe even though they
 * contain a listed word in {@code allow.txt}.
 *
 * <p>A category line reads {@code SEVERITY [PRIOR] pattern [; flags]}; a proximity rule reads
 * {@code near SEVERITY [PRIOR] WORDS patternA && patternB [; flags]} and fires when patternB
 * follows patternA in one sentence with at most WORDS words between them ({@code around} instead of
 * {@code near}: in either order). Flags: {@code input} or {@code output} (the stage the line
 * applies to; default both); {@code name} (not reported when written as a name: a capitalised word,
 * not all capitals, not after a word that addresses or quantifies people); {@code neg} (not
 * reported when a negation or "nobody" stands in the words before it: "nobody thinks you are
 * stupid"); and, on a proximity rule, {@code verb} (its first anchor is a verb acting on the
 * second: not when the anchor is used as a noun after a determiner, "the poison", or when another
 * verb stands between them, "poison made them sick"). PRIOR, a number below 1 written with a
 * decimal point ({@code 0.3}), makes the line evidence: the probability that a text holding the
 * phrase is harmful in the category; without it the line is decisive (score 1.0). See {@link
 * PatternExpander} for the pattern notation.
 *
 * <p>Not API.
 */
public final class Lexicon {
  static final int INPUT = 1;
  static final int OUTPUT = 2;
  static final int BOTH = INPUT | OUTPUT;
  private static final String ROOT = "/dev/storymagic/safety/";

  enum Kind {
    TERM,
    ALLOW,
    ANCHOR_A,
    ANCHOR_B
  }

  /** One expanded phrase and what a match of it means. */
  record Entry(
      String phrase,
      Kind kind,
      SafetyCategory category,
      Severity severity,
      double score,
      int stages,
      boolean properName,
      boolean negatable,
      int rule) {}

  /** A proximity rule between two groups of anchor phrases. */
  record NearRule(
      SafetyCategory category,
      Severity severity,
      double score,
      int distance,
      int stages,
      boolean ordered,
      boolean verb) {}

  private final List<Entry> entries;
  private final List<NearRule> rules;
  private final Map<String, List<String>> sets;

  private Lexicon(List<Entry> entries, List<NearRule> rules, Map<String, List<String>> sets) {
    this.entries = entries;
    this.rules = rules;
    this.sets = sets;
  }

  List<Entry> entries() {
    return entries;
  }

  List<NearRule> rules() {
    return rules;
  }

  /** The built-in lexicon. */
  public static Lexicon builtIn() {
    Map<String, List<String>> sets = new HashMap<>();
    PatternExpander expander = new PatternExpander(sets);
    for (String line : lines("sets.txt")) {
      int eq = line.indexOf('=');
      if (!line.startsWith("$") || eq < 0) {
        throw new IllegalArgumentException(
            "sets.txt: expected '$NAME = pattern | pattern': " + line);
      }
      String name = line.substring(1, eq).strip();
      List<String> values = new ArrayList<>();
      for (String option : splitTopLevel(line.substring(eq + 1))) {
        values.addAll(expander.expand(option));
      }
      sets.put(name, List.copyOf(values));
    }
    Lexicon lexicon = new Lexicon(new ArrayList<>(), new ArrayList<>(), sets);
    for (String line : lines("allow.txt")) {
      lexicon.addAllow(line);
    }
    for (SafetyCategory category : SafetyCategory.values()) {
      if (category == SafetyCategory.UNVERIFIED) {
        continue; // an outage marker, not something words can express
      }
      for (String line : lines(fileName(category))) {
        lexicon.addLine(category, line);
      }
    }
    return lexicon;
  }

  /** A copy to which an application may add or from which it may remove phrases. */
  public Lexicon copy() {
    return new Lexicon(new ArrayList<>(entries), new ArrayList<>(rules), sets);
  }

  static String fileName(SafetyCategory category) {
    return category.label().replace('/', '_').replace('-', '_') + ".txt";
  }

  /**
   * Adds a term line ({@code pattern [; flags]}) with the given category, severity and score (1.0
   * for a decisive term, below 1 for evidence).
   */
  public void addTerm(SafetyCategory category, Severity severity, double score, String line) {
    String[] parts = splitFlags(line);
    int stages = stages(parts[1], line);
    boolean name = hasFlag(parts[1], "name");
    boolean neg = hasFlag(parts[1], "neg");
    for (String phrase : new PatternExpander(sets).expand(parts[0])) {
      entries.add(new Entry(phrase, Kind.TERM, category, severity, score, stages, name, neg, -1));
    }
  }

  /** Adds a phrase that masks any finding lying wholly inside it. */
  public void addAllow(String line) {
    String[] parts = splitFlags(line);
    int stages = stages(parts[1], line);
    for (String phrase : new PatternExpander(sets).expand(parts[0])) {
      entries.add(new Entry(phrase, Kind.ALLOW, null, null, 0, stages, false, false, -1));
    }
  }

  /** Removes every term (of any category) whose expanded phrase is one of {@code pattern}'s. */
  public void removeTerms(String pattern) {
    Set<String> phrases = new HashSet<>(new PatternExpander(sets).expand(pattern));
    entries.removeIf(e -> e.kind() == Kind.TERM && phrases.contains(e.phrase()));
  }

  void addLine(SafetyCategory category, String line) {
    boolean ordered = line.startsWith("near ");
    if (ordered || line.startsWith("around ")) {
      String[] parts = splitFlags(line.substring(ordered ? 5 : 7));
      String rest = parts[0].strip();
      int space = rest.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException(
            "expected 'near|around SEVERITY [PRIOR] WORDS a && b': " + line);
      }
      Severity severity = severity(rest.substring(0, space), line);
      rest = rest.substring(space + 1).strip();
      double score = SafetyFinding.DECISIVE;
      if (startsWithPrior(rest)) {
        space = rest.indexOf(' ');
        score = prior(rest.substring(0, space), line);
        rest = rest.substring(space + 1).strip();
      }
      String[] head = rest.split(" ", 2);
      if (head.length < 2 || !head[1].contains("&&")) {
        throw new IllegalArgumentException(
            "expected 'near|around SEVERITY [PRIOR] WORDS a && b': " + line);
      }
      int distance = Integer.parseInt(head[0]);
      int stages = stages(parts[1], line);
      int rule = rules.size();
      rules.add(
          new NearRule(
              category, severity, score, distance, stages, ordered, hasFlag(parts[1], "verb")));
      String[] sides = head[1].split("&&");
      PatternExpander expander = new PatternExpander(sets);
      for (String phrase : expander.expand(sides[0].strip())) {
        entries.add(
            new Entry(
                phrase, Kind.ANCHOR_A, category, severity, score, stages, false, false, rule));
      }
      for (String phrase : expander.expand(sides[1].strip())) {
        entries.add(
            new Entry(
                phrase, Kind.ANCHOR_B, category, severity, score, stages, false, false, rule));
      }
      return;
    }
    int space = line.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("expected 'SEVERITY [PRIOR] pattern': " + line);
    }
    Severity severity = severity(line.substring(0, space), line);
    String rest = line.substring(space + 1).strip();
    double score = SafetyFinding.DECISIVE;
    if (startsWithPrior(rest)) {
      int end = rest.indexOf(' ');
      if (end < 0) {
        throw new IllegalArgumentException("expected 'SEVERITY [PRIOR] pattern': " + line);
      }
      score = prior(rest.substring(0, end), line);
      rest = rest.substring(end + 1);
    }
    addTerm(category, severity, score, rest);
  }

  private static boolean startsWithPrior(String s) {
    return s.length() > 1
        && s.charAt(0) >= '0'
        && s.charAt(0) <= '9'
        && s.indexOf('.') > 0
        && s.indexOf('.') < Math.max(s.indexOf(' '), 0);
  }

  private static double prior(String word, String line) {
    double p;
    try {
      p = Double.parseDouble(word);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad prior '" + word + "' in: " + line, e);
    }
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException(
          "a prior must lie within (0, 1); omit it for a decisive line: " + line);
    }
    return p;
  }

  private static Severity severity(String word, String line) {
    try {
      return Severity.valueOf(word.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown severity '" + word + "' in: " + line, e);
    }
  }

  private static final Set<String> FLAGS = Set.of("input", "output", "name", "neg", "verb");

  private static boolean hasFlag(String flags, String flag) {
    for (String f : flags.split("[ ,]+")) {
      if (f.equals(flag)) {
        return true;
      }
    }
    return false;
  }

  private static String[] splitFlags(String line) {
    int semi = line.indexOf(';');
    return semi < 0
        ? new String[] {line.strip(), ""}
        : new String[] {line.substring(0, semi).strip(), line.substring(semi + 1).strip()};
  }

  private static int stages(String flags, String line) {
    boolean input = flags.contains("input");
    boolean output = flags.contains("output");
    for (String flag : flags.split("[ ,]+")) {
      if (!flag.isEmpty() && !FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown flag '" + flag + "' in: " + line);
      }
    }
    if (input == output) {
      return BOTH;
    }
    return input ? INPUT : OUTPUT;
  }

  static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        parts.add(s.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(s.substring(start).strip());
    parts.removeIf(String::isEmpty);
    return parts;
  }

  private static List<String> lines(String file) {
    InputStream in = Lexicon.class.getResourceAsStream(ROOT + file);
    if (in == null) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int hash = line.indexOf('#');
        if (hash >= 0) {
          line = line.substring(0, hash);
        }
        line = line.strip();
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the safety lexicon " + file, e);
    }
    return lines;
  }
}
