package dev.storymagic.internal.offline;

import dev.storymagic.AgeGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a character is good at or loves, found in their description ("a boy who plays the drums" →
 * drums), and how the story uses it: a line early on that shows it ("Leo drummed on every table he
 * passed") and a line in the resolution where it is what solves the problem. Read from {@code
 * traits.txt}; {@link #FALLBACK} is the trait of a hero whose description names none.
 */
final class Traits {
  static final String FALLBACK = "noticing";

  /** Traits that are a quality rather than a skill or a love; a skill solves the problem first. */
  static final java.util.Set<String> QUALITIES =
      java.util.Set.of(
          "curious", "bravery", "kindness", "puzzles", "listening", "noticing", "funny", "strong");

  static final List<String> KEYS =
      List.of("words", "plant.y", "plant", "plant.o", "help.y", "help", "help.o");

  /** One trait's lines for one age group. */
  record Trait(String id, List<Line> plant, List<Line> help) {}

  private final Map<String, String> byWord;
  private final Map<String, Map<AgeGroup, Trait>> traits;

  private Traits(Map<String, String> byWord, Map<String, Map<AgeGroup, Trait>> traits) {
    this.byWord = byWord;
    this.traits = traits;
  }

  /**
   * The trait the last naming word of {@code description} names, or empty: the last, because a
   * description names what someone is before what they love or do ("a curious girl who loves stars"
   * is about stars).
   */
  String find(String description) {
    String found = "";
    for (String w : Text.words(description)) {
      String id = byWord.get(Text.key(w));
      if (id != null) {
        found = id;
      }
    }
    return found;
  }

  Trait get(String id, AgeGroup age) {
    Map<AgeGroup, Trait> t = traits.get(id.isEmpty() ? FALLBACK : id);
    return (t != null ? t : traits.get(FALLBACK)).get(age);
  }

  static Traits parse(
      List<String> lines, java.util.function.BiConsumer<String, String> checkSlots) {
    Map<String, String> byWord = new HashMap<>();
    Map<String, Map<String, List<Line>>> raw = new LinkedHashMap<>();
    Map<String, List<Line>> current = null;
    String id = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      String where = "traits.txt line " + (n + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("trait ")) {
        id = line.substring(6).strip();
        current = new LinkedHashMap<>();
        raw.put(id, current);
        continue;
      }
      if (current == null) {
        throw new IllegalStateException(
            "offline story content: " + where + ": entry outside a trait");
      }
      int colon = line.indexOf(':');
      String key = colon > 0 ? line.substring(0, colon).strip() : "";
      String value = colon > 0 ? line.substring(colon + 1).strip() : "";
      if (!KEYS.contains(key) || value.isEmpty()) {
        throw new IllegalStateException(
            "offline story content: " + where + ": expected one of " + KEYS);
      }
      if (key.equals("words")) {
        for (String w : Text.words(value)) {
          String prev = byWord.putIfAbsent(w, id);
          if (prev != null) {
            throw new IllegalStateException(
                "offline story content: " + where + ": '" + w + "' already names " + prev);
          }
        }
      } else {
        checkSlots.accept(value, where);
        current.computeIfAbsent(key, k -> new ArrayList<>()).add(Line.compile(value));
      }
    }
    Map<String, Map<AgeGroup, Trait>> traits = new HashMap<>();
    raw.forEach(
        (traitId, keys) -> {
          Map<AgeGroup, Trait> byAge = new HashMap<>();
          for (AgeGroup age : AgeGroup.values()) {
            String suffix = age == AgeGroup.AGES_3_5 ? ".y" : age == AgeGroup.AGES_9_12 ? ".o" : "";
            List<Line> plant = keys.getOrDefault("plant" + suffix, keys.get("plant"));
            List<Line> help = keys.getOrDefault("help" + suffix, keys.get("help"));
            if (plant == null || help == null) {
              throw new IllegalStateException(
                  "offline story content: traits.txt: trait "
                      + traitId
                      + " needs plant and help lines");
            }
            byAge.put(age, new Trait(traitId, List.copyOf(plant), List.copyOf(help)));
          }
          traits.put(traitId, Collections.unmodifiableMap(byAge));
        });
    if (!traits.containsKey(FALLBACK)) {
      throw new IllegalStateException("offline story content: traits.txt has no trait " + FALLBACK);
    }
    return new Traits(Map.copyOf(byWord), Map.copyOf(traits));
  }
}
