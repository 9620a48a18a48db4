package dev.storymagic.internal.offline;

import dev.storymagic.internal.Words;
import java.util.List;
import java.util.Set;

/**
 * Where a story happens, in the three forms the sentences need. Settings are free text: "the moon",
 * "a lighthouse by the sea", "under the sea", "Grandma's garden".
 *
 * @param atFirst the first mention, which keeps the caller's words: "at a lighthouse by the sea",
 *     "under the sea"
 * @param place later mentions as a noun phrase: "the lighthouse by the sea", "the sea"
 * @param atPlace later mentions with a preposition: "at the lighthouse by the sea"
 */
record Setting(String atFirst, String place, String atPlace) {

  /** The prepositions a setting may start with that are also written in lower case there. */
  private static final String LOWER_CASE_PREPOSITIONS =
      """
      in on at under inside near by beside above below among aboard outside over behind beyond
      underneath beneath along around
      """;

  private static final Set<String> PREPOSITIONS =
      Words.setOf(LOWER_CASE_PREPOSITIONS, "across within between into onto upon atop through");
  private static final Set<String> LEAD_INS =
      Words.setOf("deep high far way up down out somewhere away right just all");

  /** Leading words written in lower case, however the caller capitalised them. */
  private static final Set<String> LOWER =
      Words.setOf(
          "a an the", LOWER_CASE_PREPOSITIONS, "deep high far somewhere some my our up down way");

  private static final Set<String> ON =
      Words.setOf(
          """
          moon beach island farm ship boat mountain hill planet street lake river road shore coast
          raft train bus plane deck roof cloud mars star comet base station spaceship playground
          mountaintop meadow field iceberg glacier sailboat yacht ferry rooftop porch balcony earth
          """);
  private static final Set<String> AT =
      Words.setOf(
          """
          school zoo museum library fair circus carnival party airport seaside lighthouse bottom top
          edge end foot market bakery aquarium camp campsite stadium festival picnic harbor harbour
          port pool shop store restaurant cafe hospital home grandma's grandpa's
          """);
  private static final Set<String> HEAD_STOPS =
      Words.setOf(
          """
          of with by near where that who which full in on under beside behind called named at above
          below next filled made from for and
          """);

  static Setting of(String raw) {
    String text = Text.lowerLeading(Text.clean(raw), LOWER);
    List<String> ws = Text.words(text);
    if (ws.isEmpty()) {
      return new Setting(
          "in a happy little place", "the happy little place", "in the happy little place");
    }
    int i = 0;
    while (i < ws.size() && LEAD_INS.contains(Text.key(ws.get(i)))) {
      i++;
    }
    if (i < ws.size() && PREPOSITIONS.contains(Text.key(ws.get(i)))) {
      int nounStart = i + 1;
      String noun = nounStart < ws.size() ? String.join(" ", ws.subList(nounStart, ws.size())) : "";
      if (noun.isEmpty()) {
        return new Setting(text, "that place", text);
      }
      String prefix = String.join(" ", ws.subList(0, nounStart));
      String definite = definite(noun);
      return new Setting(text, definite, prefix + " " + definite);
    }
    String prep = preposition(ws);
    String definite = definite(text);
    return new Setting(prep + " " + text, definite, prep + " " + definite);
  }

  private static String definite(String noun) {
    if (noun.startsWith("a ")) {
      return "the " + noun.substring(2);
    }
    if (noun.startsWith("an ")) {
      return "the " + noun.substring(3);
    }
    if (noun.startsWith("some ")) {
      return "the " + noun.substring(5);
    }
    return noun;
  }

  private static String preposition(List<String> ws) {
    String head = null;
    for (String w : ws) {
      String k = Text.key(w);
      if (head != null && HEAD_STOPS.contains(k)) {
        break;
      }
      if (head != null && k.endsWith("ed") && k.length() > 4) {
        break; // "a rocket parked on the moon": the head is "rocket"
      }
      head = k;
    }
    if (head == null) {
      return "in";
    }
    if (ON.contains(head)) {
      return "on";
    }
    if (AT.contains(head)) {
      return "at";
    }
    return "in";
  }
}
