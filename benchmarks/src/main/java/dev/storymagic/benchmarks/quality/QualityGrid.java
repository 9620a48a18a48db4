package dev.storymagic.benchmarks.quality;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed request grid of the story-quality benchmark. Nothing here is random: the same grid is
 * asked for on every run, so two runs (before and after a change to the engine) are comparable.
 *
 * <ul>
 *   <li>{@link #main()}: every built-in theme × age group × length × four kinds of input (none; one
 *       described character with a setting and a moral; two characters with a moral and an idea;
 *       three characters), the inputs rotating through the lists below;
 *   <li>{@link #odd()}: inputs that are easy to get wrong as language (plural names, descriptions
 *       that start with a pronoun or a verb, "my" in user text, long names, abbreviations), each at
 *       every age group, short and long;
 *   <li>{@link #languages()}: one request in other language tags.
 * </ul>
 */
public final class QualityGrid {
  private QualityGrid() {}

  /** A character of the grid and the word stems that show its description was used. */
  public record Cast(String name, String description, List<String> traitStems) {}

  /** A request and what the benchmark checks in its story. */
  public record Case(
      StoryRequest request,
      List<Cast> cast,
      boolean pluralHero,
      String settingNoun,
      List<String> moralNames,
      List<String> moralActs) {}

  static final List<Cast> CHARACTERS =
      List.of(
          new Cast("Mia", "a curious girl who loves stars", List.of("star")),
          new Cast("Leo", "a boy who plays the drums", List.of("drum")),
          new Cast(
              "Zara",
              "a clever inventor who builds machines",
              List.of("build", "built", "machine", "invent")),
          new Cast("Finn", "a shy boy who loves to paint", List.of("paint")),
          new Cast("Ruby", "a brave pirate girl with a parrot", List.of("parrot", "brave")),
          new Cast(
              "Oscar", "a slow old tortoise who knows many songs", List.of("song", "sing", "sang")),
          new Cast("Nia", "a fast runner", List.of("run", "ran", "fast")),
          new Cast("Tom", "a boy who loves to dance", List.of("danc")),
          new Cast("Ada", "a girl who is good at counting", List.of("count")),
          new Cast("Sam", "", List.of()));

  /** Settings and the noun that must appear when one is used. */
  static final String[][] SETTINGS = {
    {"the school playground", "playground"},
    {"Grandma's garden", "garden"},
    {"a snowy mountain village", "village"},
    {"a busy city park", "park"},
    {"a tiny island", "island"},
    {"the library", "library"}
  };

  /** Morals, the words that name them, and the words of a scene that acts them out. */
  static final String[][][] MORALS = {
    {{"sharing"}, {"sharing"}, {"shared", "share", "half", "split"}},
    {{"honesty"}, {"honest"}, {"truth", "admitted", "confess", "it was me", "sorry", "owned up"}},
    {
      {"always tell the truth"},
      {"tell the truth"},
      {"admitted", "confess", "it was me", "sorry", "owned up"}
    },
    {{"being patient"}, {"patient"}, {"waited", "wait"}},
    {{"helping others"}, {"helping others"}, {"helped"}},
    {{"being brave"}, {"brave"}, {"deep breath", "stepped forward", "even though"}},
    {{"it's okay to be different"}, {"different"}, {"unusual", "not like", "own way"}},
    {{"never give up"}, {"give up"}, {"tried again", "one more time", "again"}},
    {{"teamwork"}, {"teamwork"}, {"together", "each", "all"}},
    {{"be kind to everyone"}, {"kind to everyone"}, {"kind", "gently", "helped"}}
  };

  static final String[] IDEAS = {
    "a cat who finds a rainbow",
    "a kite that flies to the moon",
    "a sandwich that sings",
    "a snail who wants to win a race"
  };

  /** The main grid: 10 themes × 3 age groups × 3 lengths × 4 kinds of input = 360 requests. */
  public static List<Case> main() {
    List<Case> out = new ArrayList<>();
    int n = 0;
    for (Theme theme : ThemeCatalog.defaults().all()) {
      for (AgeGroup age : AgeGroup.values()) {
        for (StoryLength length : StoryLength.values()) {
          for (int kind = 0; kind < 4; kind++, n++) {
            StoryRequest.Builder b =
                StoryRequest.builder().theme(theme.id()).ageGroup(age).length(length);
            List<Cast> cast = new ArrayList<>();
            String settingNoun = null;
            String[][] moral = null;
            if (kind >= 1) {
              int characters = kind == 1 ? 1 : kind;
              for (int c = 0; c < characters; c++) {
                Cast ch = CHARACTERS.get((n + 3 * c) % CHARACTERS.size());
                if (cast.stream().noneMatch(x -> x.name().equals(ch.name()))) {
                  cast.add(ch);
                  b.character(ch.name(), ch.description());
                }
              }
            }
            if (kind == 1) {
              String[] setting = SETTINGS[n % SETTINGS.length];
              b.setting(setting[0]);
              settingNoun = setting[1];
            }
            if (kind == 1 || kind == 2) {
              moral = MORALS[n % MORALS.length];
              b.moral(moral[0][0]);
            }
            if (kind == 2) {
              b.idea(IDEAS[n % IDEAS.length]);
            }
            out.add(
                new Case(
                    b.build(),
                    cast,
                    false,
                    settingNoun,
                    moral == null ? List.of() : List.of(moral[1]),
                    moral == null ? List.of() : List.of(moral[2])));
          }
        }
      }
    }
    return out;
  }

  /**
   * One odd input: characters, setting, moral, idea (null for none), and whether the first name is
   * plural.
   */
  @SuppressWarnings("ArrayRecordComponent") // a literal table row, never compared
  private record Odd(
      String[][] characters, String setting, String moral, String idea, boolean plural) {}

  private static final List<Odd> ODD =
      List.of(
          new Odd(
              new String[][] {{"Princess Luna", "she is a brave girl"}}, null, null, null, false),
          new Odd(
              new String[][] {{"The Twins", "two sisters who love to climb"}},
              null,
              "sharing",
              null,
              true),
          new Odd(
              new String[][] {{"the Smith kids", "always laugh together"}}, null, null, null, true),
          new Odd(
              new String[][] {{"luna", "a small owl"}, {"Pip", "a mouse"}},
              null,
              null,
              null,
              false),
          new Odd(
              new String[][] {
                {"Captain Bartholomew Fitzgerald the Third", "a retired sea captain"}
              },
              null,
              null,
              null,
              false),
          new Odd(
              new String[][] {{"Dr. Pepperpot", "a kind inventor who fixes toys"}},
              null,
              null,
              null,
              false),
          new Odd(new String[][] {{"Mr. Whiskers", "my cat"}}, null, null, null, false),
          new Odd(new String[][] {{"Mia", ""}}, "under my bed", null, null, false),
          new Odd(
              new String[][] {{"Leo", "a boy"}}, "our backyard", "sharing is caring", null, false),
          new Odd(new String[][] {{"Max", "he likes trucks"}}, null, null, null, false),
          new Odd(new String[][] {{"Bella", "loves to sing and dance"}}, null, null, null, false),
          new Odd(
              new String[][] {{"Kai and Noor", "best friends who share everything"}},
              null,
              null,
              null,
              true),
          new Odd(
              new String[][] {{"Ollie", "runs really fast"}}, null, "never give up", null, false),
          new Odd(new String[][] {{"Grandpa Joe", ""}}, "the kitchen", null, null, false),
          new Odd(
              new String[][] {{"Pip", "a tiny mouse. He loves cheese."}}, null, null, null, false),
          new Odd(
              new String[][] {{"Ms. Honeybee", "our teacher"}}, "the classroom", null, null, false),
          new Odd(
              new String[][] {{"Zed", "an alien from Mars who has three eyes"}},
              null,
              null,
              null,
              false),
          new Odd(new String[][] {{"Mia", "a girl"}}, null, "Don't be mean.", null, false),
          new Odd(
              new String[][] {{"Mia", "a girl"}},
              null,
              "you should always share your toys",
              null,
              false),
          new Odd(new String[][] {{"Sam", ""}}, null, null, "My dog learns to fly", false),
          new Odd(new String[][] {{"Jo", "a girl"}}, "St. Louis", null, null, false),
          new Odd(new String[][] {{"The Bunnies", ""}}, null, null, null, true),
          new Odd(new String[][] {{"ELLA", "a loud singer"}}, null, null, null, false),
          new Odd(
              new String[][] {{"Anna-Marie", "a girl who loves puzzles"}, {"Dr. Lee", "a vet"}},
              null,
              null,
              null,
              false),
          new Odd(
              new String[][] {{"Li", "an explorer"}, {"The Robots", "who beep and whirr"}},
              null,
              null,
              null,
              false));

  /**
   * The odd inputs (25), each at every age group, short and long, themes rotating: 150 requests.
   */
  public static List<Case> odd() {
    List<Theme> themes = ThemeCatalog.defaults().all();
    List<Case> out = new ArrayList<>();
    int n = 0;
    for (Odd odd : ODD) {
      for (AgeGroup age : AgeGroup.values()) {
        for (StoryLength length : List.of(StoryLength.SHORT, StoryLength.LONG)) {
          StoryRequest.Builder b =
              StoryRequest.builder()
                  .theme(themes.get(n++ % themes.size()).id())
                  .ageGroup(age)
                  .length(length)
                  .setting(odd.setting())
                  .moral(odd.moral())
                  .idea(odd.idea());
          List<Cast> cast = new ArrayList<>();
          for (String[] c : odd.characters()) {
            b.character(c[0], c[1]);
            cast.add(new Cast(c[0], c[1], List.of()));
          }
          out.add(new Case(b.build(), cast, odd.plural(), null, List.of(), List.of()));
        }
      }
    }
    return out;
  }

  /** The same request in English and in other language tags. */
  public static List<StoryRequest> languages() {
    List<StoryRequest> out = new ArrayList<>();
    for (String tag : List.of("en", "en-GB", "de", "fr", "es")) {
      out.add(
          StoryRequest.builder()
              .theme("forest")
              .ageGroup(AgeGroup.AGES_6_8)
              .length(StoryLength.SHORT)
              .character("Mia", "a curious girl who loves stars")
              .moral("sharing")
              .language(tag)
              .build());
    }
    return out;
  }
}
