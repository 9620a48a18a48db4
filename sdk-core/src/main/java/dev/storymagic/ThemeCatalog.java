package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The themes a request may name. Immutable; {@link #with(Theme)} returns a changed copy, so an
 * embedding application can add its own themes or replace the guidance of a built-in one.
 */
public final class ThemeCatalog {
  private static final ThemeCatalog DEFAULTS = new ThemeCatalog(builtIns());

  private final Map<String, Theme> themes;

  private ThemeCatalog(Map<String, Theme> themes) {
    this.themes = Collections.unmodifiableMap(new LinkedHashMap<>(themes));
  }

  /**
   * The built-in catalog: space, ocean, forest, dinosaurs, dragons, pirates, friendship, bedtime,
   * and more.
   */
  public static ThemeCatalog defaults() {
    return DEFAULTS;
  }

  /** A catalog holding exactly the given themes. */
  public static ThemeCatalog of(Collection<Theme> themes) {
    Map<String, Theme> map = new LinkedHashMap<>();
    for (Theme theme : themes) {
      if (map.put(theme.id(), theme) != null) {
        throw new IllegalArgumentException("duplicate theme id: " + theme.id());
      }
    }
    if (map.isEmpty()) {
      throw new IllegalArgumentException("a theme catalog needs at least one theme");
    }
    return new ThemeCatalog(map);
  }

  /** A copy with {@code theme} added, or replacing the theme with the same id. */
  public ThemeCatalog with(Theme theme) {
    requireNonNull(theme, "theme");
    Map<String, Theme> copy = new LinkedHashMap<>(themes);
    copy.put(theme.id(), theme);
    return new ThemeCatalog(copy);
  }

  public Optional<Theme> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(themes.get(id));
  }

  /** All themes, in catalog order. */
  public List<Theme> all() {
    return List.copyOf(themes.values());
  }

  public List<String> ids() {
    return new ArrayList<>(themes.keySet());
  }

  private static Map<String, Theme> builtIns() {
    Map<String, Theme> map = new LinkedHashMap<>();
    for (Theme t :
        List.of(
            new Theme(
                "space",
                "Space adventure",
                "Rockets, planets and friendly stars.",
                "Set the story among stars, planets or a space station. Wonder and curiosity drive the plot; space is vast and beautiful, never terrifying."),
            new Theme(
                "ocean",
                "Under the sea",
                "Coral reefs, whales and sunken treasure.",
                "Set the story in or by the sea. Sea creatures are characters with gentle personalities; water is playful, never a danger to drown in."),
            new Theme(
                "forest",
                "Enchanted forest",
                "Talking animals and secret paths among the trees.",
                "Set the story in a forest full of animals and small magic. Nature is kind; getting lost is resolved quickly with help from friends."),
            new Theme(
                "dinosaurs",
                "Dinosaur days",
                "Friendly giants from long ago.",
                "Feature dinosaurs as friendly, curious characters. Size and roars are funny or impressive, never a threat of being eaten."),
            new Theme(
                "dragons",
                "Dragons and castles",
                "Kind dragons, brave knights and clever princesses.",
                "A fairy-tale world of castles and dragons. Conflicts are solved with courage, kindness and cleverness rather than fighting."),
            new Theme(
                "pirates",
                "Pirate voyage",
                "Treasure maps, parrots and sailing ships.",
                "A sailing adventure with maps and treasure. Pirates are silly and good-hearted; no weapons are used against anyone."),
            new Theme(
                "friendship",
                "Friends together",
                "Making friends, sharing and making up.",
                "An everyday story about friendship: meeting someone new, a misunderstanding, and making up. Feelings are named and handled kindly."),
            new Theme(
                "bedtime",
                "Bedtime calm",
                "A soft, sleepy story to end the day.",
                "A calm, slow, soothing story that winds down towards sleep. Nothing scary, no suspense; gentle repetition and cosy images."),
            new Theme(
                "animals",
                "Animal friends",
                "Farm, jungle and backyard animals.",
                "Animals are the heroes, each with a clear personality. Show how animals live and help each other."),
            new Theme(
                "superheroes",
                "Everyday heroes",
                "Small powers, big kindness.",
                "Heroes with gentle powers who help their town. Problems are accidents or misunderstandings, never villains who hurt people."))) {
      map.put(t.id(), t);
    }
    return map;
  }
}
