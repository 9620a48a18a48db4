package dev.storymagic.internal.offline;

import java.util.List;
import java.util.Set;

/**
 * The request's moral, cleaned, and what kind of phrase it is, so the engine can build sentences
 * around it: a noun ("sharing", "being brave"), an instruction ("always tell the truth", "be
 * kind"), a clause ("kindness is a superpower"), or anything else, which only goes after a colon.
 *
 * @param text the moral as the engine writes it: trimmed, without closing punctuation
 * @param kind its kind
 * @param forHero the text with "you"/"your" turned towards the hero, for sentences about the hero;
 *     empty when that cannot be done safely
 */
record Moral(String text, Kind kind, String forHero, Family family) {

  /**
   * The shape of story a moral asks for: what goes wrong, how the hero acts the moral out, and how
   * that helps. Found from the moral's words; anything unrecognised is told as a kindness story and
   * named in the words the caller gave.
   */
  enum Family {
    HONESTY(
        "honesty",
        "honest",
        "honesty",
        "truth",
        "truthful",
        "lie",
        "lies",
        "lying",
        "fib",
        "fibs",
        "fibbing"),
    SHARING(
        "sharing",
        "share",
        "sharing",
        "shares",
        "shared",
        "generous",
        "generosity",
        "giving",
        "give"),
    COURAGE(
        "courage",
        "brave",
        "bravery",
        "braver",
        "courage",
        "courageous",
        "fear",
        "fears",
        "bold",
        "nervous"),
    PATIENCE(
        "patience", "patient", "patience", "wait", "waiting", "slow", "slowly", "calm", "rush"),
    DIFFERENCE(
        "difference",
        "different",
        "difference",
        "differences",
        "unique",
        "yourself",
        "include",
        "including",
        "belong",
        "belongs",
        "accept",
        "special",
        "weird",
        "odd"),
    TEAMWORK(
        "teamwork", "team", "teamwork", "together", "cooperate", "cooperation", "other", "work"),
    PERSEVERANCE(
        "perseverance",
        "give",
        "up",
        "try",
        "trying",
        "tries",
        "keep",
        "persevere",
        "perseverance",
        "practice",
        "practise",
        "again",
        "effort",
        "quit"),
    KINDNESS(
        "kindness",
        "kind",
        "kindness",
        "nice",
        "mean",
        "care",
        "caring",
        "help",
        "helping",
        "helpful",
        "gentle",
        "respect",
        "polite",
        "others",
        "love");

    final String key;

    @SuppressWarnings("ImmutableEnumChecker") // Set.of: unmodifiable
    private final Set<String> words;

    Family(String key, String... words) {
      this.key = key;
      this.words = Set.of(words);
    }

    /** The first family, in declaration order, one of whose words {@code words} contains. */
    static Family of(List<String> words) {
      for (Family f : values()) {
        for (String w : words) {
          if (f.words.contains(Text.key(w))) {
            if (f == SHARING
                && Text.key(w).equals("give")
                && String.join(" ", words).toLowerCase(java.util.Locale.ROOT).contains("give up")) {
              continue; // "never give up" is about trying again, not giving
            }
            return f;
          }
        }
      }
      return KINDNESS;
    }
  }

  enum Kind {
    NOUN("noun"),
    VERB("verb"),
    CLAUSE("clause"),
    ANY("any");

    final String key;

    Kind(String key) {
      this.key = key;
    }
  }

  private static final Set<String> LEADING_LOWER =
      Set.of(
          "a",
          "an",
          "the",
          "always",
          "never",
          "be",
          "being",
          "share",
          "sharing",
          "help",
          "helping",
          "tell",
          "telling",
          "it",
          "it's",
          "everyone",
          "friends",
          "kindness",
          "honesty",
          "teamwork",
          "do",
          "don't",
          "try",
          "trying",
          "listen",
          "say",
          "treat",
          "keep",
          "give",
          "love",
          "respect",
          "patience",
          "courage",
          "good",
          "true",
          "working",
          "we",
          "you",
          "your",
          "there",
          "all",
          "every",
          "even",
          "sometimes",
          "small",
          "little",
          "caring",
          "giving");
  private static final Set<String> IMPERATIVES =
      Set.of(
          "always",
          "never",
          "be",
          "share",
          "help",
          "tell",
          "listen",
          "try",
          "say",
          "keep",
          "give",
          "take",
          "think",
          "treat",
          "ask",
          "believe",
          "love",
          "respect",
          "follow",
          "trust",
          "stay",
          "work",
          "play",
          "care",
          "look",
          "use",
          "remember",
          "wait",
          "clean",
          "brush",
          "eat",
          "practice",
          "practise",
          "forgive",
          "include",
          "accept",
          "apologize",
          "apologise",
          "speak",
          "stand",
          "make",
          "learn",
          "dream",
          "smile",
          "welcome",
          "protect",
          "value",
          "cherish",
          "do",
          "put",
          "let",
          "hold",
          "finish",
          "admit",
          "own",
          "celebrate",
          "notice",
          "appreciate",
          "go");
  private static final Set<String> FINITE =
      Set.of(
          "is",
          "are",
          "was",
          "were",
          "isn't",
          "aren't",
          "can",
          "can't",
          "cannot",
          "should",
          "will",
          "must",
          "makes",
          "make",
          "helps",
          "help",
          "matters",
          "matter",
          "means",
          "brings",
          "wins",
          "grows",
          "comes",
          "needs",
          "deserve",
          "deserves",
          "has",
          "have",
          "it's",
          "that's",
          "there's",
          "everyone's",
          "goes",
          "counts",
          "count",
          "feels",
          "shines",
          "takes",
          "pays",
          "lasts",
          "lights",
          "gets",
          "beat",
          "win",
          "go",
          "stick",
          "belong",
          "belongs",
          "share",
          "shares",
          "care",
          "cares",
          "love",
          "loves",
          "keeps",
          "starts",
          "begins",
          "turns",
          "opens",
          "heals",
          "leads",
          "come");
  private static final Set<String> NEGATIONS = Set.of("don't", "dont", "do not", "not", "no");

  /** Turns free text into a moral; blank text is not a moral. */
  static Moral of(String raw, CastMember.Pronouns pronouns) {
    String text = Text.lowerLeading(Text.clean(raw), LEADING_LOWER);
    List<String> ws = Text.words(text);
    String first = ws.isEmpty() ? "" : Text.key(ws.get(0));
    Kind kind;
    if (first.equals("don't")
        || first.equals("dont")
        || (first.equals("do") && ws.size() > 1 && Text.key(ws.get(1)).equals("not"))
        || NEGATIONS.contains(first)) {
      kind = Kind.ANY;
    } else if (IMPERATIVES.contains(first)) {
      kind = Kind.VERB;
    } else if (first.equals("it's") || first.equals("it") || hasFiniteVerb(ws)) {
      kind = Kind.CLAUSE;
    } else if (ws.size() <= 5) {
      kind = Kind.NOUN;
    } else {
      kind = Kind.ANY;
    }
    return new Moral(text, kind, towardsHero(ws, pronouns), Family.of(ws));
  }

  private static boolean hasFiniteVerb(List<String> ws) {
    for (int i = 1; i < ws.size(); i++) {
      if (FINITE.contains(Text.key(ws.get(i)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * "share your toys" → "share their toys"; empty if "you" remains (it cannot be turned safely).
   */
  private static String towardsHero(List<String> ws, CastMember.Pronouns p) {
    StringBuilder sb = new StringBuilder();
    for (String w : ws) {
      String k = Text.key(w);
      String out = w;
      if (k.equals("you") || k.equals("you're") || k.equals("you'll") || k.equals("you've")) {
        return "";
      } else if (k.equals("your")) {
        out = p.possessive() + w.substring(4);
      } else if (k.equals("yours")) {
        return "";
      } else if (k.equals("yourself")) {
        out = p.reflexive() + w.substring(8);
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(out);
    }
    return sb.toString();
  }
}
