package dev.storymagic.internal.safety;

import dev.storymagic.SafetyCategory;
import dev.storymagic.Severity;
import dev.storymagic.internal.Words;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds unsafe phrases in text: folds it once ({@link TextNormalizer}), runs the lexicon's
 * Aho–Corasick automaton over it once, drops matches that lie inside an allowed phrase ("a shooting
 * star", "kill time"), applies the proximity rules, and adds personal data found by {@link
 * PersonalDataScanner}. Text with emphasised letters ({@code fuuuck}) is folded and scanned a
 * second time with the repeats squeezed to one letter.
 *
 * <p>Immutable and thread-safe. Not API.
 */
public final class SafetyScanner {
  /**
   * A finding before the policy is applied: a category, a severity, a score (1.0 decisive, below 1
   * evidence) and a span of the source text.
   */
  public record Hit(SafetyCategory category, Severity severity, double score, int start, int end) {}

  private static final int MAX_HITS = 64;
  private static final String[] ADDRESSING_WORDS = {
    "you", "u", "ur", "your", "a", "an", "such", "big", "all", "those", "these", "the", "some",
    "many", "every", "filthy", "dirty", "stupid", "fucking", "damn", "bloody", "hate", "kill",
    "them", "you're", "youre", "fat", "ugly", "dumb", "lazy", "more", "no", "of", "like"
  };

  private final Automaton automaton;
  private final Lexicon.Entry[] entries;
  private final Lexicon.NearRule[] rules;

  public SafetyScanner(Lexicon lexicon) {
    this.entries = lexicon.entries().toArray(new Lexicon.Entry[0]);
    this.rules = lexicon.rules().toArray(new Lexicon.NearRule[0]);
    List<String> phrases = new ArrayList<>(entries.length);
    for (Lexicon.Entry e : entries) {
      phrases.add(e.phrase());
    }
    this.automaton = Automaton.build(phrases);
  }

  /** Number of automaton states, for diagnostics. */
  public int states() {
    return automaton.states();
  }

  public List<Hit> scan(String text, SafetyStage stage) {
    List<Hit> hits = new ArrayList<>(4);
    scanText(text, stage, hits);
    if (stage == SafetyStage.INPUT) {
      EncodedScanner.delimiters(text, hits);
      // An encoded payload is judged by what it says, reported at the span of the encoded text.
      for (EncodedScanner.Decoded d : EncodedScanner.base64(text)) {
        List<Hit> inner = new ArrayList<>(2);
        scanText(d.text(), stage, inner);
        EncodedScanner.delimiters(d.text(), inner);
        for (Hit h : inner) {
          add(hits, new Hit(h.category(), h.severity(), h.score(), d.start(), d.end()));
        }
      }
    }
    return hits;
  }

  private void scanText(String text, SafetyStage stage, List<Hit> hits) {
    int stageBit = stage == SafetyStage.INPUT ? Lexicon.INPUT : Lexicon.OUTPUT;
    NormalizedText folded = TextNormalizer.normalize(text, false);
    collect(folded, stageBit, false, hits);
    if (folded.hasEmphasis) {
      collect(TextNormalizer.normalize(text, true), stageBit, true, hits);
    }
    PersonalDataScanner.scan(text, stage, hits);
  }

  private void collect(NormalizedText nt, int stageBit, boolean emphasisOnly, List<Hit> hits) {
    Automaton.Matches m = new Automaton.Matches();
    automaton.scan(nt, m);
    if (m.size == 0) {
      return;
    }
    int[] allow = null;
    int allowCount = 0;
    boolean anchors = false;
    for (int k = 0; k < m.size; k++) {
      Lexicon.Entry e = entries[m.id(k)];
      if ((e.stages() & stageBit) == 0) {
        continue;
      }
      if (e.kind() == Lexicon.Kind.ALLOW) {
        if (allow == null) {
          allow = new int[8];
        } else if (allowCount * 2 + 2 > allow.length) {
          allow = java.util.Arrays.copyOf(allow, allow.length * 2);
        }
        allow[allowCount * 2] = m.start(k);
        allow[allowCount * 2 + 1] = m.end(k);
        allowCount++;
      } else if (e.kind() != Lexicon.Kind.TERM) {
        anchors = true;
      }
    }
    for (int k = 0; k < m.size; k++) {
      Lexicon.Entry e = entries[m.id(k)];
      if (e.kind() != Lexicon.Kind.TERM || (e.stages() & stageBit) == 0) {
        continue;
      }
      int s = m.start(k);
      int end = m.end(k);
      if (masked(allow, allowCount, s, end)
          || (emphasisOnly && !emphasised(nt, s, end))
          || (e.properName() && writtenAsName(nt, s))
          || (e.negatable() && negated(nt, s, s))
          || possessiveHer(nt, end)) {
        continue;
      }
      report(hits, e.category(), e.severity(), e.score(), nt.srcStart[s], nt.srcEnd[end - 1]);
    }
    if (anchors) {
      near(nt, m, stageBit, allow, allowCount, emphasisOnly, hits);
    }
  }

  private void near(
      NormalizedText nt,
      Automaton.Matches m,
      int stageBit,
      int[] allow,
      int allowCount,
      boolean emphasisOnly,
      List<Hit> hits) {
    for (int a = 0; a < m.size; a++) {
      Lexicon.Entry ea = entries[m.id(a)];
      if (ea.kind() != Lexicon.Kind.ANCHOR_A
          || (ea.stages() & stageBit) == 0
          || masked(allow, allowCount, m.start(a), m.end(a))) {
        continue;
      }
      for (int b = 0; b < m.size; b++) {
        Lexicon.Entry eb = entries[m.id(b)];
        if (eb.kind() != Lexicon.Kind.ANCHOR_B
            || eb.rule() != ea.rule()
            || masked(allow, allowCount, m.start(b), m.end(b))) {
          continue;
        }
        Lexicon.NearRule rule = rules[ea.rule()];
        int s = Math.min(m.start(a), m.start(b));
        int end = Math.max(m.end(a), m.end(b));
        // The distance check first: it stops at the sentence's end or the rule's distance, while
        // the negation check reads every word between the two anchors, however far apart.
        if ((rule.ordered() && m.start(b) < m.start(a))
            || !within(nt, m.start(a), m.end(a), m.start(b), m.end(b), rule.distance())
            || (rule.ordered() && negated(nt, m.start(a), m.start(b)))
            || (emphasisOnly && !emphasised(nt, s, end))
            || possessiveHer(nt, m.end(b))
            || possessiveHer(nt, m.end(a))
            || (rule.verb() && !actsOn(nt, m.start(a), m.end(a), m.start(b)))) {
          continue;
        }
        report(
            hits,
            rule.category(),
            rule.severity(),
            rule.score(),
            nt.srcStart[s],
            nt.srcEnd[end - 1]);
        break;
      }
    }
  }

  /** Whether two spans lie in one sentence with at most {@code distance} words between them. */
  private static boolean within(NormalizedText nt, int s1, int e1, int s2, int e2, int distance) {
    int from = Math.min(e1, e2);
    int to = Math.max(s1, s2);
    if (from >= to) {
      return true; // overlapping or adjacent
    }
    int spaces = 0;
    for (int i = from; i < to; i++) {
      char c = nt.chars[i];
      if (c == '.') {
        return false;
      }
      if (c == ' ' && ++spaces > distance + 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a negation ("not", "never", "no one", "won't", ...) stands between {@code from} and
   * {@code to} or in the three words before {@code from}: "the dragon won't hurt you".
   */
  private static boolean negated(NormalizedText nt, int from, int to) {
    int start = from;
    for (int words = 0; start > 0 && words < 5; ) {
      char c = nt.chars[start - 1];
      if (c == '.') {
        break;
      }
      if (c == ' ') {
        words++;
      }
      start--;
    }
    int i = start;
    while (i < to) {
      while (i < to && !NormalizedText.isWordChar(nt.chars[i])) {
        i++;
      }
      if (i >= to) {
        break;
      }
      int w = i;
      while (i < nt.length && (NormalizedText.isWordChar(nt.chars[i]) || nt.chars[i] == '\'')) {
        i++;
      }
      if (i > w && isNegation(nt.chars, w, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNegation(char[] c, int s, int e) {
    int n = e - s;
    if (n >= 3 && c[e - 1] == 't' && c[e - 2] == '\'' && c[e - 3] == 'n') {
      return true; // don't, won't, wouldn't, can't, didn't
    }
    return (n == 3 && c[s] == 'n' && c[s + 1] == 'o' && c[s + 2] == 't')
        || (n == 5 && new String(c, s, n).equals("never"))
        || (n == 6 && new String(c, s, n).equals("nobody"))
        || (n == 2 && c[s] == 'n' && c[s + 1] == 'o')
        || (n == 4 && (new String(c, s, n).equals("dont") || new String(c, s, n).equals("wont")))
        || (n == 8 && new String(c, s, n).equals("nobody's"));
  }

  private static boolean masked(int[] allow, int count, int s, int e) {
    for (int k = 0; k < count; k++) {
      if (allow[k * 2] <= s && e <= allow[k * 2 + 1]) {
        return true;
      }
    }
    return false;
  }

  private static boolean emphasised(NormalizedText nt, int s, int e) {
    for (int i = s; i < e; i++) {
      if (nt.emphasised[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the word at {@code s} is written as a name: capitalised but not all capitals ("Dick",
   * not "DICK", which is shouting), and not after a word that addresses, quantifies or qualifies
   * people ("you Dick", "all Dicks", "those Dicks"). Every word is capitalised in all-caps text, so
   * nothing there is a name.
   */
  private static boolean writtenAsName(NormalizedText nt, int s) {
    int at = nt.srcStart[s];
    if (!Character.isUpperCase(nt.source.charAt(at))) {
      return false;
    }
    int next = at + 1;
    if (next < nt.source.length()
        && Character.isLetter(nt.source.charAt(next))
        && !Character.isLowerCase(nt.source.charAt(next))) {
      return false;
    }
    String previous = previousWord(nt, s);
    return previous == null || !NOT_BEFORE_NAME.contains(previous);
  }

  /** Words after which a capitalised word is about people, not a person's name. */
  private static final java.util.Set<String> NOT_BEFORE_NAME = java.util.Set.of(ADDRESSING_WORDS);

  /** The folded word just before {@code s} in the same sentence, or null. */
  private static String previousWord(NormalizedText nt, int s) {
    int end = s - 1;
    if (end <= 0 || nt.chars[end] != ' ') {
      return null;
    }
    int start = end;
    while (start > 0
        && (NormalizedText.isWordChar(nt.chars[start - 1]) || nt.chars[start - 1] == '\'')) {
      start--;
    }
    return start == end ? null : new String(nt.chars, start, end - start);
  }

  /** The folded word starting at or after {@code from} in the same sentence, or null. */
  private static String nextWord(NormalizedText nt, int from) {
    int i = from;
    if (i < nt.length && nt.chars[i] == ' ') {
      i++;
    }
    if (i >= nt.length || !NormalizedText.isWordChar(nt.chars[i])) {
      return null;
    }
    int start = i;
    while (i < nt.length && (NormalizedText.isWordChar(nt.chars[i]) || nt.chars[i] == '\'')) {
      i++;
    }
    return new String(nt.chars, start, i - start);
  }

  /**
   * Whether a match ending at {@code end} ends in "her" used as a possessive ("shooting her hose",
   * "kicked her ball"): a word other than a preposition, particle or adverb follows it in the same
   * sentence. "Shot her dead", "hit her and ran", "hurt her." keep "her" as the person acted on.
   */
  private static boolean possessiveHer(NormalizedText nt, int end) {
    if (end < 3
        || nt.chars[end - 1] != 'r'
        || nt.chars[end - 2] != 'e'
        || nt.chars[end - 3] != 'h'
        || (end > 3 && NormalizedText.isWordChar(nt.chars[end - 4]))) {
      return false;
    }
    String next = nextWord(nt, end);
    return next != null && !AFTER_OBJECT.contains(next);
  }

  /**
   * Words that may follow a pronoun used as an object: "hit her with", "shot her dead", "kicked her
   * again".
   */
  private static final java.util.Set<String> AFTER_OBJECT =
      Words.setOf(
          """
          and or but to with in on at into onto off out up down away back again dead hard badly
          twice once so then as because before after while when until till from for by through over
          under across behind near there here now too repeatedly senseless unconscious black bloody
          if unless a an the all both herself first later
          """);

  /**
   * Whether the verb anchor between {@code aStart} and {@code aEnd} acts on what starts at {@code
   * bStart}: not when it is used as a noun after a determiner ("the poison", "a kick") and not when
   * another verb stands between them ("poison made them sick", "the attack left her breathless").
   */
  private static boolean actsOn(NormalizedText nt, int aStart, int aEnd, int bStart) {
    String before = previousWord(nt, aStart);
    if (before != null && DETERMINERS.contains(before)) {
      return false;
    }
    int i = aEnd;
    while (i < bStart) {
      String w = nextWord(nt, i);
      if (w == null) {
        break;
      }
      int at = nt.chars[i] == ' ' ? i + 1 : i;
      if (at >= bStart) {
        break;
      }
      if (CLAUSE_VERBS.contains(w)) {
        return false;
      }
      i = at + w.length();
    }
    return true;
  }

  private static final java.util.Set<String> DETERMINERS =
      Words.setOf(
          """
          the a an his her their its my your our this that these those some any no each every whose
          which what
          """);

  /** Verbs that start another clause between a verb anchor and its object. */
  private static final java.util.Set<String> CLAUSE_VERBS =
      Words.setOf(
          """
          made makes make making gave gives give left leaves let lets got gets kept keeps turned
          turns was were is are had has have did does caused causes helped helps sent sends woke
          wakes taught teaches reminded showed told tells said says asked asks saw sees heard hears
          felt feels
          """);

  /**
   * Reports a hit, and the same hit under the parent category: graphic violence is violence too.
   */
  private static void report(
      List<Hit> hits,
      SafetyCategory category,
      Severity severity,
      double score,
      int start,
      int end) {
    add(hits, new Hit(category, severity, score, start, end));
    SafetyCategory parent = parent(category);
    if (parent != category) {
      add(hits, new Hit(parent, severity, score, start, end));
    }
  }

  /**
   * The broader category a sub-category belongs to, as in OpenAI's taxonomy; itself for a top level
   * one.
   */
  public static SafetyCategory parent(SafetyCategory category) {
    switch (category) {
      case SEXUAL_MINORS:
        return SafetyCategory.SEXUAL;
      case HATE_THREATENING:
        return SafetyCategory.HATE;
      case HARASSMENT_THREATENING:
        return SafetyCategory.HARASSMENT;
      case VIOLENCE_GRAPHIC:
        return SafetyCategory.VIOLENCE;
      case SELF_HARM_INTENT:
      case SELF_HARM_INSTRUCTIONS:
        return SafetyCategory.SELF_HARM;
      case ILLICIT_VIOLENT:
        return SafetyCategory.ILLICIT;
      default:
        return category;
    }
  }

  private static void add(List<Hit> hits, Hit hit) {
    for (int i = 0; i < hits.size(); i++) {
      Hit h = hits.get(i);
      if (h.category() == hit.category() && h.start() < hit.end() && hit.start() < h.end()) {
        // Overlapping findings of one category: keep the stronger one.
        if (hit.score() > h.score()
            || (hit.score() == h.score() && hit.severity().compareTo(h.severity()) > 0)) {
          hits.set(i, hit);
        }
        return;
      }
    }
    if (hits.size() < MAX_HITS) {
      hits.add(hit);
    }
  }
}
