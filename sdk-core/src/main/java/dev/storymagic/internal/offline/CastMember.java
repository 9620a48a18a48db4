package dev.storymagic.internal.offline;

import dev.storymagic.internal.Words;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A character as the engine uses it: the name, the description turned into something that can
 * follow the name in a sentence, and pronouns.
 *
 * <p>Descriptions are free text, so they are woven in by their first word: "a curious girl who
 * loves stars" becomes "was a curious girl who loved stars"; "loves to dance" becomes "loved to
 * dance"; "brave and kind" becomes "was brave and kind"; "who sings" becomes "was someone who
 * sang". Verbs right after "who", "that" and the start are put in the past tense, because the
 * stories are told in the past. Pronouns are "she" or "he" only when the description says so
 * plainly ("girl", "prince", "her"), otherwise "they"; the stories mostly use names anyway.
 *
 * @param name the name as the story writes it: cleaned, with consistent capitals ("luna" becomes
 *     "Luna", "ELLA" becomes "Ella") and a leading "The" in lower case ("the Twins"), which a
 *     sentence start capitalises
 * @param shortName what later mentions use: the name itself, or for a long one its title and first
 *     word ("Captain Bartholomew")
 * @param plural whether the name is grammatically plural ("the Twins", "Kai and Noor")
 * @param predicate what follows the name in an introduction ("was a curious girl who loved stars"),
 *     empty without a description
 * @param nounPhrase the description as a noun phrase, for "Mia, a curious girl", empty if it is not
 *     one
 * @param pronouns the pronouns to use
 * @param trait the id of the skill or liking the description names ("drums", "stars"), or empty
 */
record CastMember(
    String name,
    String shortName,
    boolean plural,
    String predicate,
    String nounPhrase,
    Pronouns pronouns,
    String trait) {

  /** Subject, object and possessive pronouns. */
  record Pronouns(String subject, String object, String possessive, String reflexive) {
    static final Pronouns SHE = new Pronouns("she", "her", "her", "herself");
    static final Pronouns HE = new Pronouns("he", "him", "his", "himself");
    static final Pronouns THEY = new Pronouns("they", "them", "their", "themselves");
  }

  private static final Set<String> TITLES =
      Words.setOf(
          """
          captain capt princess prince king queen dr doctor mr mrs ms miss sir lady lord professor
          prof grandma grandpa granny nana uncle aunt auntie madam mister baby little big old young
          sergeant chef coach farmer officer nurse
          """);
  private static final Set<String> NAME_SMALL_WORDS = Words.setOf("the and of de von van la le");
  private static final Set<String> SUBJECT_PRONOUNS =
      Words.setOf("she he they it i she's he's they're it's i'm we we're");
  private static final Set<String> PLURAL_STARTS =
      Words.setOf("two three four twin twins both brothers sisters siblings friends best");

  private static final Set<String> ARTICLES = Words.setOf("a an the one some");
  private static final Set<String> DETERMINERS = Words.setOf("my our your his her their");
  private static final Set<String> ADVERBS =
      Words.setOf(
          """
          always never often really sometimes still just usually also truly totally very secretly
          loudly quietly even
          """);
  private static final Set<String> HEAD_STOPS =
      Words.setOf("who that which with from in on at of and for named called whose like");
  private static final Set<String> NOUNS =
      Words.setOf(
          """
          girl boy kid child baby dragon dinosaur cat kitten dog puppy bear robot pirate princess
          prince knight fox rabbit bunny turtle fish whale dolphin owl bird hero friend brother
          sister mouse unicorn astronaut explorer captain monkey lion tiger elephant horse pony
          penguin frog fairy wizard king queen giant alien scientist artist dancer singer teacher
          student sailor squirrel hedgehog deer duck duckling chicken cow pig sheep lamb goat parrot
          octopus seal crab cub doctor inventor builder chef farmer grandma grandpa mermaid elf
          toddler twin cousin neighbor neighbour puppet toy teddy giraffe zebra panda koala kangaroo
          sloth otter beaver badger raccoon hamster butterfly bee ladybug snail worm spider
          detective musician painter reader writer gardener baker pilot firefighter superhero helper
          adventurer traveler dreamer thinker lady man woman person creature animal pet caterpillar
          star cloud tree
          """);
  private static final Set<String> SHE_WORDS =
      Words.setOf(
          """
          girl princess sister daughter queen mother mom mommy mum mummy grandma granny grandmother
          aunt auntie lady woman she her hers herself niece cowgirl ballerina mermaid
          """);
  private static final Set<String> HE_WORDS =
      Words.setOf(
          """
          boy prince brother son king father dad daddy grandpa grandfather uncle man gentleman he
          him his himself nephew cowboy
          """);
  private static final Map<String, String> IRREGULAR = new HashMap<>();
  private static final Set<String> REGULAR_VERBS =
      Words.setOf(
          """
          loves likes enjoys wants plays dreams lives collects helps laughs jumps dances paints
          bakes cooks climbs explores talks smiles giggles whistles knits travels works visits
          watches wishes needs hopes adores asks tries carries counts looks listens learns snores
          rescues saves cares shares builds waves skates races bounces floats glows sparkles wonders
          wanders invents believes studies practices pretends imagines remembers notices hugs hops
          hums naps skips claps jogs plans grins chats stops drums shops
          """);

  /** Verbs that double their last letter in the past tense: "hugs", "hugged". */
  private static final Set<String> DOUBLING =
      Words.setOf(
          "hugs hops hums naps skips claps jogs plans grins chats stops drums shops begs trips");

  static {
    String[][] pairs = {
      {"has", "had"},
      {"have", "had"},
      {"is", "was"},
      {"are", "were"},
      {"does", "did"},
      {"goes", "went"},
      {"knows", "knew"},
      {"sings", "sang"},
      {"swims", "swam"},
      {"flies", "flew"},
      {"runs", "ran"},
      {"makes", "made"},
      {"sees", "saw"},
      {"eats", "ate"},
      {"reads", "read"},
      {"draws", "drew"},
      {"builds", "built"},
      {"tells", "told"},
      {"finds", "found"},
      {"keeps", "kept"},
      {"sleeps", "slept"},
      {"thinks", "thought"},
      {"wears", "wore"},
      {"can", "could"},
      {"will", "would"},
      {"gets", "got"},
      {"rides", "rode"},
      {"grows", "grew"},
      {"brings", "brought"},
      {"gives", "gave"},
      {"takes", "took"},
      {"hides", "hid"},
      {"speaks", "spoke"},
      {"says", "said"},
      {"feels", "felt"},
      {"writes", "wrote"},
      {"comes", "came"},
      {"holds", "held"},
      {"sits", "sat"},
      {"stands", "stood"},
      {"understands", "understood"},
      {"teaches", "taught"},
      {"catches", "caught"},
      {"buys", "bought"},
      {"leaves", "left"},
      {"spins", "spun"},
      {"digs", "dug"},
      {"swings", "swung"},
      {"drinks", "drank"},
      {"wins", "won"},
      {"becomes", "became"},
      {"forgets", "forgot"},
      {"shines", "shone"},
      {"knits", "knitted"},
      {"lives", "lived"},
      {"don't", "didn't"},
      {"doesn't", "didn't"},
      {"isn't", "wasn't"},
      {"can't", "couldn't"},
      {"won't", "wouldn't"},
      {"hasn't", "hadn't"},
      {"aren't", "weren't"},
      {"likes", "liked"},
      {"loves", "loved"},
      {"meets", "met"},
      {"sends", "sent"},
      {"spends", "spent"},
      {"lends", "lent"},
      {"bends", "bent"},
      {"am", "was"},
      {"hears", "heard"},
      {"sells", "sold"},
      {"shows", "showed"},
      {"throws", "threw"},
      {"blows", "blew"},
      {"falls", "fell"},
      {"wakes", "woke"},
      {"flips", "flipped"}
    };
    for (String[] p : pairs) {
      IRREGULAR.put(p[0], p[1]);
    }
  }

  /** A character from a request. */
  static CastMember of(String rawName, String rawDescription, Traits traits) {
    String name = displayName(Text.clean(rawName));
    if (name.isEmpty()) {
      name = "Sunny";
    }
    String d = Text.clean(rawDescription).replace(" & ", " and ");
    // "a tiny mouse. He loves cheese." : the first sentence describes, the others add to it
    String more = "";
    int stop = sentenceStop(d);
    if (stop > 0) {
      more = Text.clean(d.substring(stop + 1));
      d = Text.clean(d.substring(0, stop));
    }
    boolean plural = isPluralName(name) || startsPlural(d);
    Pronouns pronouns = plural ? Pronouns.THEY : pronouns(d + " " + more);
    d = dropLeadingPronoun(d);
    String trait = traits.find(d + " " + more);
    if (d.isEmpty()) {
      return new CastMember(name, shortName(name, plural), plural, "", "", pronouns, trait);
    }
    CastMember m = describe(name, d, plural, pronouns, trait);
    more = dropLeadingPronoun(more);
    if (!more.isEmpty() && startsWithVerb(Text.words(more))) {
      String verbs = toPast(" " + more).substring(1);
      if (!m.nounPhrase().isEmpty() && m.nounPhrase().indexOf(" who ") < 0) {
        String np = m.nounPhrase() + " who " + verbs;
        return new CastMember(name, m.shortName(), plural, "was " + np, np, pronouns, trait);
      }
      return new CastMember(
          name,
          m.shortName(),
          plural,
          m.predicate() + " and " + verbs,
          m.nounPhrase(),
          pronouns,
          trait);
    }
    return m;
  }

  private static CastMember describe(
      String name, String d, boolean plural, Pronouns pronouns, String trait) {
    List<String> ws = Text.words(d);
    String first = Text.key(ws.get(0));
    String predicate;
    String nounPhrase = "";
    if (ARTICLES.contains(first)) {
      nounPhrase = toPast(Text.lowerLeading(d, ARTICLES));
      predicate = "was " + nounPhrase;
    } else if (DETERMINERS.contains(first) && ws.size() > 1) {
      String rest = d.substring(ws.get(0).length() + 1);
      nounPhrase = toPast(Text.article(rest) + " " + rest);
      predicate = "was " + nounPhrase;
    } else if (first.equals("who") || first.equals("that")) {
      predicate = "was someone " + toPast("who" + d.substring(ws.get(0).length()));
    } else if (startsWithVerb(ws)) {
      predicate = toPast(" " + d).substring(1);
    } else if (hasNounHead(ws)) {
      nounPhrase = toPast(Text.article(ws.get(0)) + " " + d);
      predicate = "was " + nounPhrase;
    } else {
      predicate = "was " + toPast(d);
    }
    return new CastMember(
        name, shortName(name, plural), plural, predicate, nounPhrase, pronouns, trait);
  }

  /**
   * The description cut to its article and head noun ("an adventurous, imaginative explorer" → "an
   * explorer"), for the youngest readers when the full one reads too hard; the noun phrase itself
   * when it has no clear head.
   */
  String plainNounPhrase() {
    List<String> ws = Text.words(nounPhrase);
    if (ws.size() < 3) {
      return nounPhrase;
    }
    String head = null;
    for (String w : ws) {
      if (HEAD_STOPS.contains(Text.key(w))) {
        break;
      }
      head = Text.key(w);
    }
    return head == null || head.isEmpty() ? nounPhrase : Text.article(head) + " " + head;
  }

  /**
   * A character the engine invents, whose description is already a noun phrase in the past tense.
   */
  static CastMember invented(Content.Persona persona, Traits traits) {
    return new CastMember(
        persona.name(),
        persona.name(),
        false,
        "was " + persona.description(),
        persona.description(),
        pronouns(persona.description()),
        traits.find(persona.description()));
  }

  /**
   * The name as the story writes it everywhere: a name typed all in lower case or all in capitals
   * gets capitals on its words ("luna" → "Luna", "ELLA" → "Ella"), "&" becomes "and", and a leading
   * "The" is written "the" (a sentence start capitalises it again).
   */
  static String displayName(String name) {
    List<String> ws = Text.words(name.replace(" & ", " and "));
    boolean anyUpper = false;
    boolean anyLower = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      anyUpper |= Character.isUpperCase(c);
      anyLower |= Character.isLowerCase(c);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ws.size(); i++) {
      String w = ws.get(i);
      String k = Text.key(w);
      if (!anyUpper || (!anyLower && w.length() > 2)) {
        w =
            (NAME_SMALL_WORDS.contains(k) && i > 0) || (k.equals("the") && i == 0)
                ? w.toLowerCase(Locale.ROOT)
                : Text.capitalize(w.toLowerCase(Locale.ROOT));
      }
      if (i == 0 && k.equals("the") && ws.size() > 1) {
        w = "the";
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(w);
    }
    return sb.toString();
  }

  /**
   * "the Twins", "the Smith kids", "Kai and Noor" are plural; "Thomas" and "the Great Zed" are not.
   */
  static boolean isPluralName(String name) {
    List<String> ws = Text.words(name);
    for (String w : ws) {
      if (Text.key(w).equals("and")) {
        return true;
      }
    }
    if (ws.size() >= 2 && Text.key(ws.get(0)).equals("the")) {
      String last = Text.key(ws.get(ws.size() - 1));
      return last.endsWith("s")
          && !last.endsWith("ss")
          && !last.endsWith("us")
          && !last.endsWith("is");
    }
    return false;
  }

  private static boolean startsPlural(String description) {
    List<String> ws = Text.words(description);
    return !ws.isEmpty()
        && PLURAL_STARTS.contains(Text.key(ws.get(0)))
        && !(ws.size() > 1 && Text.key(ws.get(1)).equals("friend"));
  }

  /**
   * Long names are shortened after their first mention: a title and the next word, or the first
   * word.
   */
  static String shortName(String name, boolean plural) {
    List<String> ws = Text.words(name);
    if (plural || (ws.size() < 3 && name.length() <= 20)) {
      return name;
    }
    int i = Text.key(ws.get(0)).equals("the") ? 1 : 0;
    if (i < ws.size() - 1 && TITLES.contains(Text.key(ws.get(i)))) {
      return ws.get(i) + " " + ws.get(i + 1);
    }
    return ws.get(i);
  }

  /** The index of a full stop that ends a sentence inside a description, or -1. */
  private static int sentenceStop(String d) {
    for (int i = 0; i < d.length() - 1; i++) {
      char c = d.charAt(i);
      if ((c == '.' || c == '!' || c == '?' || c == ';')
          && d.charAt(i + 1) == ' '
          && !Text.endsWithAbbreviation(d, i)) {
        return i;
      }
    }
    return -1;
  }

  /** "she is a brave girl" → "is a brave girl"; "I'm a pirate" → "am a pirate". */
  private static String dropLeadingPronoun(String d) {
    List<String> ws = Text.words(d);
    if (ws.size() < 2 || !SUBJECT_PRONOUNS.contains(Text.key(ws.get(0)))) {
      return d;
    }
    String k = Text.key(ws.get(0));
    String rest = d.substring(ws.get(0).length() + 1);
    if (k.endsWith("'s")) {
      return "is " + rest;
    }
    if (k.endsWith("'re")) {
      return "are " + rest;
    }
    if (k.endsWith("'m")) {
      return "am " + rest;
    }
    return rest;
  }

  /**
   * Splits "a moon bear who knew every star" into {"a moon bear", "knew every star"} and "a calf
   * with a white spot" into {"a calf", "had a white spot"}, for readers who need short sentences.
   * Returns a one-element array when the phrase is short or has no such joint.
   */
  static String[] splitNounPhrase(String nounPhrase) {
    List<String> ws = Text.words(nounPhrase);
    if (ws.size() < 6) {
      return new String[] {nounPhrase};
    }
    for (int i = 2; i < ws.size() - 1; i++) {
      String k = Text.key(ws.get(i));
      String before = ws.get(i - 1);
      if (before.endsWith(",")) {
        continue;
      }
      if (k.equals("who") || k.equals("that") || k.equals("with")) {
        String head = String.join(" ", ws.subList(0, i));
        String rest = String.join(" ", ws.subList(i + 1, ws.size()));
        if (k.equals("with")) {
          return new String[] {head, "had " + rest};
        }
        String next = Text.key(ws.get(i + 1));
        if (IRREGULAR.containsValue(next) || next.endsWith("ed") || ADVERBS.contains(next)) {
          return new String[] {head, rest};
        }
        return new String[] {nounPhrase};
      }
    }
    return new String[] {nounPhrase};
  }

  private static boolean startsWithVerb(List<String> ws) {
    int i = 0;
    while (i < ws.size() - 1 && ADVERBS.contains(Text.key(ws.get(i)))) {
      i++;
    }
    String w = Text.key(ws.get(i));
    return IRREGULAR.containsKey(w) || REGULAR_VERBS.contains(w);
  }

  private static boolean hasNounHead(List<String> ws) {
    String head = null;
    for (String w : ws) {
      String k = Text.key(w);
      if (HEAD_STOPS.contains(k)) {
        break;
      }
      head = k;
    }
    if (head == null) {
      return false;
    }
    // "a fox" but not "foxes": the singular nouns only
    return NOUNS.contains(head);
  }

  private static Pronouns pronouns(String description) {
    boolean she = false;
    boolean he = false;
    for (String w : Text.words(description)) {
      String k = Text.key(w);
      she |= SHE_WORDS.contains(k);
      he |= HE_WORDS.contains(k);
    }
    return she == he ? Pronouns.THEY : she ? Pronouns.SHE : Pronouns.HE;
  }

  /**
   * Puts the verbs of a description in the past tense: the word after "who"/"that" (skipping
   * adverbs), a leading verb (the text then starts with a space), and a known verb after "and".
   */
  static String toPast(String text) {
    List<String> ws = Text.words(text.strip());
    boolean leadingVerb = text.startsWith(" ");
    StringBuilder sb = new StringBuilder(text.length() + 8);
    boolean expectVerb = leadingVerb;
    boolean inClause = leadingVerb;
    for (int i = 0; i < ws.size(); i++) {
      String w = ws.get(i);
      String k = Text.key(w);
      String out = w;
      if (expectVerb && ADVERBS.contains(k)) {
        // keep waiting for the verb
      } else if (expectVerb) {
        out = past(w, k, true);
        expectVerb = false;
      } else if (inClause && i > 0 && Text.key(ws.get(i - 1)).equals("and")) {
        out = past(w, k, false);
      }
      if (k.equals("who") || k.equals("that")) {
        expectVerb = true;
        inClause = true;
      }
      if (sb.length() > 0 || leadingVerb) {
        sb.append(' ');
      }
      sb.append(out);
    }
    return sb.toString();
  }

  /** The past tense of a present-tense verb; unknown words stay as they are. */
  private static String past(String word, String key, boolean allowRule) {
    String p = IRREGULAR.get(key);
    if (p == null) {
      p = doubledPast(key);
    }
    if (p == null && !key.endsWith("s")) {
      // a plural subject's verb ("two sisters who love to climb"): the past of its third-person
      // form
      for (String third : new String[] {key + "s", key + "es"}) {
        p = IRREGULAR.containsKey(third) ? IRREGULAR.get(third) : doubledPast(third);
        if (p == null && REGULAR_VERBS.contains(third)) {
          p = regularPast(third);
        }
        if (p != null) {
          break;
        }
      }
      if (key.equals("have")) {
        p = "had";
      } else if (key.equals("are")) {
        p = "were";
      } else if (key.equals("do")) {
        p = "did";
      } else if (key.equals("go")) {
        p = "went";
      }
    }
    if (p == null && (REGULAR_VERBS.contains(key) || allowRule)) {
      p = regularPast(key);
    }
    if (p == null) {
      return word;
    }
    // keep trailing punctuation such as a comma
    int end = word.length();
    while (end > 0 && !Character.isLetter(word.charAt(end - 1))) {
      end--;
    }
    return p + word.substring(end);
  }

  /** The past tense of a verb that doubles its last letter, or null for any other word. */
  private static String doubledPast(String key) {
    if (!DOUBLING.contains(key)) {
      return null;
    }
    String stem = key.substring(0, key.length() - 1);
    return stem + stem.charAt(stem.length() - 1) + "ed";
  }

  private static String regularPast(String k) {
    int n = k.length();
    if (n < 3 || !k.endsWith("s") || k.endsWith("ss") || k.endsWith("us") || k.endsWith("is")) {
      return null;
    }
    if (k.endsWith("ies")) {
      return k.substring(0, n - 3) + "ied";
    }
    if (k.endsWith("shes")
        || k.endsWith("ches")
        || k.endsWith("xes")
        || k.endsWith("zzes")
        || k.endsWith("sses")) {
      return k.substring(0, n - 2) + "ed";
    }
    String stem = k.substring(0, n - 1);
    return stem.endsWith("e") ? stem + "d" : stem + "ed";
  }
}
