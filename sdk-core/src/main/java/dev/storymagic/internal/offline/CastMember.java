package dev.storymagic.internal.offline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A character as the engine uses it: the name, the description turned into something that can
 * follow the name in a sentence, and pronouns.
 *
 * <p>Descriptions are free text, so they are woven in by their first word: "a curious girl who loves
 * stars" becomes "was a curious girl who loved stars"; "loves to dance" becomes "loved to dance";
 * "brave and kind" becomes "was brave and kind"; "who sings" becomes "was someone who sang". Verbs
 * right after "who", "that" and the start are put in the past tense, because the stories are told
 * in the past. Pronouns are "she" or "he" only when the description says so plainly ("girl",
 * "prince", "her"), otherwise "they"; the stories mostly use names anyway.
 *
 * @param name the name as given
 * @param predicate what follows the name in an introduction ("was a curious girl who loved stars"),
 *     empty without a description
 * @param nounPhrase the description as a noun phrase, for "Mia, a curious girl", empty if it is not one
 * @param pronouns the pronouns to use
 */
record CastMember(String name, String predicate, String nounPhrase, Pronouns pronouns) {

  /** Subject, object and possessive pronouns. */
  record Pronouns(String subject, String object, String possessive) {
    static final Pronouns SHE = new Pronouns("she", "her", "her");
    static final Pronouns HE = new Pronouns("he", "him", "his");
    static final Pronouns THEY = new Pronouns("they", "them", "their");
  }

  private static final Set<String> ARTICLES = Set.of("a", "an", "the", "one", "some");
  private static final Set<String> DETERMINERS = Set.of("my", "our", "your", "his", "her", "their");
  private static final Set<String> ADVERBS = Set.of("always", "never", "often", "really", "sometimes", "still",
      "just", "usually", "also", "truly", "totally", "very", "secretly", "loudly", "quietly", "even");
  private static final Set<String> HEAD_STOPS = Set.of("who", "that", "which", "with", "from", "in", "on", "at",
      "of", "and", "for", "named", "called", "whose", "like");
  private static final Set<String> NOUNS = Set.of("girl", "boy", "kid", "child", "baby", "dragon", "dinosaur",
      "cat", "kitten", "dog", "puppy", "bear", "robot", "pirate", "princess", "prince", "knight", "fox", "rabbit",
      "bunny", "turtle", "fish", "whale", "dolphin", "owl", "bird", "hero", "friend", "brother", "sister", "mouse",
      "unicorn", "astronaut", "explorer", "captain", "monkey", "lion", "tiger", "elephant", "horse", "pony",
      "penguin", "frog", "fairy", "wizard", "king", "queen", "giant", "alien", "scientist", "artist", "dancer",
      "singer", "teacher", "student", "sailor", "squirrel", "hedgehog", "deer", "duck", "duckling", "chicken",
      "cow", "pig", "sheep", "lamb", "goat", "parrot", "octopus", "seal", "crab", "cub", "doctor", "inventor",
      "builder", "chef", "farmer", "grandma", "grandpa", "mermaid", "elf", "toddler", "twin", "cousin", "neighbor",
      "neighbour", "puppet", "toy", "teddy", "giraffe", "zebra", "panda", "koala", "kangaroo", "sloth", "otter",
      "beaver", "badger", "raccoon", "hamster", "butterfly", "bee", "ladybug", "snail", "worm", "spider",
      "detective", "musician", "painter", "reader", "writer", "gardener", "baker", "pilot", "firefighter",
      "superhero", "helper", "adventurer", "traveler", "dreamer", "thinker", "lady", "man", "woman",
      "person", "creature", "animal", "pet", "caterpillar", "star", "cloud", "tree");
  private static final Set<String> SHE_WORDS = Set.of("girl", "princess", "sister", "daughter", "queen", "mother",
      "mom", "mommy", "mum", "mummy", "grandma", "granny", "grandmother", "aunt", "auntie", "lady", "woman", "she",
      "her", "hers", "herself", "niece", "cowgirl", "ballerina", "mermaid");
  private static final Set<String> HE_WORDS = Set.of("boy", "prince", "brother", "son", "king", "father", "dad",
      "daddy", "grandpa", "grandfather", "uncle", "man", "gentleman", "he", "him", "his", "himself", "nephew",
      "cowboy");
  private static final Map<String, String> IRREGULAR = new HashMap<>();
  private static final Set<String> REGULAR_VERBS = Set.of("loves", "likes", "enjoys", "wants", "plays", "dreams",
      "lives", "collects", "helps", "laughs", "jumps", "dances", "paints", "bakes", "cooks", "climbs", "explores",
      "talks", "smiles", "giggles", "whistles", "knits", "travels", "works", "visits", "watches", "wishes",
      "needs", "hopes", "adores", "asks", "tries", "carries", "counts", "looks", "listens", "learns", "snores",
      "rescues", "saves", "cares", "shares", "builds", "waves", "skates", "races", "bounces", "floats",
      "glows", "sparkles", "wonders", "wanders", "invents", "believes", "studies", "practices",
      "pretends", "imagines", "remembers", "notices", "hugs", "hops", "hums", "naps", "skips",
      "claps", "jogs", "plans", "grins", "chats", "stops", "drums", "shops");
  private static final Map<String, String> DOUBLING = Map.ofEntries(Map.entry("hugs", "hugged"),
      Map.entry("hops", "hopped"), Map.entry("hums", "hummed"), Map.entry("naps", "napped"),
      Map.entry("skips", "skipped"), Map.entry("claps", "clapped"), Map.entry("jogs", "jogged"),
      Map.entry("plans", "planned"), Map.entry("grins", "grinned"), Map.entry("chats", "chatted"),
      Map.entry("stops", "stopped"), Map.entry("drums", "drummed"), Map.entry("shops", "shopped"),
      Map.entry("begs", "begged"), Map.entry("trips", "tripped"));

  static {
    String[][] pairs = {{"has", "had"}, {"have", "had"}, {"is", "was"}, {"are", "were"}, {"does", "did"},
        {"goes", "went"}, {"knows", "knew"}, {"sings", "sang"}, {"swims", "swam"}, {"flies", "flew"},
        {"runs", "ran"}, {"makes", "made"}, {"sees", "saw"}, {"eats", "ate"}, {"reads", "read"},
        {"draws", "drew"}, {"builds", "built"}, {"tells", "told"}, {"finds", "found"}, {"keeps", "kept"},
        {"sleeps", "slept"}, {"thinks", "thought"}, {"wears", "wore"}, {"can", "could"}, {"will", "would"},
        {"gets", "got"}, {"rides", "rode"}, {"grows", "grew"}, {"brings", "brought"}, {"gives", "gave"},
        {"takes", "took"}, {"hides", "hid"}, {"speaks", "spoke"}, {"says", "said"}, {"feels", "felt"},
        {"writes", "wrote"}, {"comes", "came"}, {"holds", "held"}, {"sits", "sat"}, {"stands", "stood"},
        {"understands", "understood"}, {"teaches", "taught"}, {"catches", "caught"}, {"buys", "bought"},
        {"leaves", "left"}, {"spins", "spun"}, {"digs", "dug"}, {"swings", "swung"}, {"drinks", "drank"},
        {"wins", "won"}, {"becomes", "became"}, {"forgets", "forgot"}, {"shines", "shone"}, {"knits", "knitted"},
        {"lives", "lived"}, {"don't", "didn't"}, {"doesn't", "didn't"}, {"isn't", "wasn't"}, {"can't", "couldn't"},
        {"won't", "wouldn't"}, {"hasn't", "hadn't"}, {"aren't", "weren't"}, {"likes", "liked"},
        {"loves", "loved"}, {"meets", "met"}, {"sends", "sent"}, {"spends", "spent"}, {"lends", "lent"},
        {"bends", "bent"}, {"hears", "heard"}, {"sells", "sold"}, {"shows", "showed"}, {"throws", "threw"},
        {"blows", "blew"}, {"falls", "fell"}, {"wakes", "woke"}, {"flips", "flipped"}};
    for (String[] p : pairs) {
      IRREGULAR.put(p[0], p[1]);
    }
  }

  /** A character from a request. */
  static CastMember of(String rawName, String rawDescription) {
    String name = Text.clean(rawName);
    if (name.isEmpty()) {
      name = "a friend";
    }
    String d = Text.clean(rawDescription);
    Pronouns pronouns = pronouns(d);
    if (d.isEmpty()) {
      return new CastMember(name, "", "", pronouns);
    }
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
    return new CastMember(name, predicate, nounPhrase, pronouns);
  }

  /** A character the engine invents, whose description is already a noun phrase in the past tense. */
  static CastMember invented(Content.Persona persona) {
    return new CastMember(persona.name(), "was " + persona.description(), persona.description(),
        pronouns(persona.description()));
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
      p = DOUBLING.get(key);
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

  private static String regularPast(String k) {
    int n = k.length();
    if (n < 3 || !k.endsWith("s") || k.endsWith("ss") || k.endsWith("us") || k.endsWith("is")) {
      return null;
    }
    if (k.endsWith("ies")) {
      return k.substring(0, n - 3) + "ied";
    }
    if (k.endsWith("shes") || k.endsWith("ches") || k.endsWith("xes") || k.endsWith("zzes") || k.endsWith("sses")) {
      return k.substring(0, n - 2) + "ed";
    }
    String stem = k.substring(0, n - 1);
    return stem.endsWith("e") ? stem + "d" : stem + "ed";
  }
}
