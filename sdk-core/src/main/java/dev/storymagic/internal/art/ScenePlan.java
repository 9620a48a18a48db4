package dev.storymagic.internal.art;

import dev.storymagic.AssetKind;
import dev.storymagic.Story;
import dev.storymagic.StoryCharacter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What one picture of a story shows, planned from the story alone: the theme's place, day or night,
 * props named in that part of the story, and the characters' looks. Every value comes from a fixed
 * table, so a plan holds no user text; the same story always gives the same plans. Shared by the
 * offline illustrator (which draws it) and remote illustrators (which describe it in a prompt).
 *
 * @param kind cover or scene
 * @param index 0 for the cover, 1.. for scenes
 * @param theme the theme id (from the catalog, so lower-case letters, digits and dashes)
 * @param place the theme's place in words, such as {@code "a starry sky above a little moon"}
 * @param night whether it is night
 * @param props what stands in the picture besides the characters
 * @param looks the characters' looks, at most four
 * @param seed the seed for everything random in the drawing
 */
public record ScenePlan(
    AssetKind kind,
    int index,
    String theme,
    String place,
    boolean night,
    List<Prop> props,
    List<Look> looks,
    long seed) {

  /** Things a picture can show. */
  public enum Prop {
    TREE("trees"),
    STAR("stars"),
    MOON("the moon"),
    SUN("the sun"),
    CLOUD("clouds"),
    PLANET("a ringed planet"),
    ROCKET("a little rocket"),
    FISH("fish"),
    BUBBLE("bubbles"),
    SEAWEED("seaweed"),
    CASTLE("a castle"),
    SHIP("a sailing ship"),
    HOUSE("a cosy house"),
    FLOWER("flowers"),
    MOUNTAIN("hills"),
    VOLCANO("a sleepy volcano"),
    PALM("palm trees"),
    MUSHROOM("mushrooms"),
    RAINBOW("a rainbow"),
    TREASURE("a treasure chest"),
    BARN("a red barn"),
    CITY("a small town"),
    ISLAND("an island");

    private final String words;

    Prop(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /** A theme's look: where it happens, and what is always there. */
  record Setting(
      String place,
      boolean night,
      boolean underwater,
      String skyTop,
      String skyBottom,
      String ground,
      List<Prop> props) {}

  static final Map<String, Setting> SETTINGS =
      Map.ofEntries(
          Map.entry(
              "space",
              new Setting(
                  "a starry sky above a little moon",
                  true,
                  false,
                  "#141a3c",
                  "#3a3f7a",
                  "#9a9cb3",
                  List.of(Prop.PLANET, Prop.ROCKET, Prop.STAR))),
          Map.entry(
              "ocean",
              new Setting(
                  "a sunny reef under the sea",
                  false,
                  true,
                  "#3fa7d6",
                  "#1c5d99",
                  "#e9d29c",
                  List.of(Prop.FISH, Prop.SEAWEED, Prop.BUBBLE))),
          Map.entry(
              "forest",
              new Setting(
                  "a friendly forest glade",
                  false,
                  false,
                  "#9fd6f2",
                  "#e4f4fb",
                  "#6fb35a",
                  List.of(Prop.TREE, Prop.MUSHROOM, Prop.FLOWER))),
          Map.entry(
              "dinosaurs",
              new Setting(
                  "a warm valley long ago",
                  false,
                  false,
                  "#f6b26b",
                  "#fde3b5",
                  "#8fbf5a",
                  List.of(Prop.VOLCANO, Prop.PALM, Prop.MOUNTAIN))),
          Map.entry(
              "dragons",
              new Setting(
                  "green hills below a castle",
                  false,
                  false,
                  "#a7c7f2",
                  "#eef3fb",
                  "#7cbf6a",
                  List.of(Prop.CASTLE, Prop.MOUNTAIN, Prop.CLOUD))),
          Map.entry(
              "pirates",
              new Setting(
                  "a sandy beach by the sea",
                  false,
                  false,
                  "#8fd0f5",
                  "#def3fc",
                  "#ecd18e",
                  List.of(Prop.SHIP, Prop.PALM, Prop.TREASURE))),
          Map.entry(
              "friendship",
              new Setting(
                  "a sunny park",
                  false,
                  false,
                  "#a9dcf7",
                  "#f0f9fe",
                  "#86c86b",
                  List.of(Prop.HOUSE, Prop.TREE, Prop.FLOWER))),
          Map.entry(
              "bedtime",
              new Setting(
                  "a quiet garden at night",
                  true,
                  false,
                  "#1b2250",
                  "#4b4f8f",
                  "#3d6b4f",
                  List.of(Prop.MOON, Prop.STAR, Prop.HOUSE))),
          Map.entry(
              "animals",
              new Setting(
                  "a farm meadow",
                  false,
                  false,
                  "#a5d8f3",
                  "#f1fafe",
                  "#92c95e",
                  List.of(Prop.BARN, Prop.FLOWER, Prop.SUN))),
          Map.entry(
              "superheroes",
              new Setting(
                  "a small sunny town",
                  false,
                  false,
                  "#9cd3f7",
                  "#eef8fe",
                  "#a3c46b",
                  List.of(Prop.CITY, Prop.SUN, Prop.CLOUD))));

  static final Setting MEADOW =
      new Setting(
          "a sunny meadow",
          false,
          false,
          "#a9dcf7",
          "#f0f9fe",
          "#86c86b",
          List.of(Prop.TREE, Prop.FLOWER, Prop.SUN));

  private static final List<Map.Entry<String, Prop>> WORD_PROPS =
      List.of(
          Map.entry("tree", Prop.TREE),
          Map.entry("forest", Prop.TREE),
          Map.entry("star", Prop.STAR),
          Map.entry("moon", Prop.MOON),
          Map.entry("sun", Prop.SUN),
          Map.entry("cloud", Prop.CLOUD),
          Map.entry("planet", Prop.PLANET),
          Map.entry("rocket", Prop.ROCKET),
          Map.entry("fish", Prop.FISH),
          Map.entry("castle", Prop.CASTLE),
          Map.entry("ship", Prop.SHIP),
          Map.entry("boat", Prop.SHIP),
          Map.entry("house", Prop.HOUSE),
          Map.entry("home", Prop.HOUSE),
          Map.entry("flower", Prop.FLOWER),
          Map.entry("mountain", Prop.MOUNTAIN),
          Map.entry("hill", Prop.MOUNTAIN),
          Map.entry("rainbow", Prop.RAINBOW),
          Map.entry("treasure", Prop.TREASURE),
          Map.entry("island", Prop.ISLAND),
          Map.entry("mushroom", Prop.MUSHROOM),
          Map.entry("volcano", Prop.VOLCANO),
          Map.entry("palm", Prop.PALM),
          Map.entry("bubble", Prop.BUBBLE));
  private static final Set<String> NIGHT_WORDS =
      Set.of(
          "night",
          "moon",
          "moonlight",
          "dark",
          "evening",
          "sleep",
          "sleepy",
          "stars",
          "dream",
          "dreams");

  /** At most this many props in one picture, so it stays readable. */
  static final int MAX_PROPS = 5;

  public ScenePlan {
    props = List.copyOf(props);
    looks = List.copyOf(looks);
  }

  /** The theme's setting; a meadow for a theme the illustrator does not know. */
  Setting setting() {
    return SETTINGS.getOrDefault(theme, MEADOW);
  }

  /**
   * The cover and up to {@code maxScenes} scene plans, each scene covering its share of the
   * paragraphs.
   */
  public static List<ScenePlan> plan(Story story, int maxScenes) {
    int scenes =
        Math.max(
            0,
            Math.min(
                Math.min(maxScenes, dev.storymagic.spi.Illustrator.MAX_SCENES),
                story.paragraphs().size()));
    String theme = story.request().theme();
    Setting setting = SETTINGS.getOrDefault(theme, MEADOW);
    long storySeed =
        seed(theme + "\n" + story.title() + "\n" + String.join("\n", story.paragraphs()));
    SplittableRandom lookRandom = new SplittableRandom(storySeed);
    List<Look> looks = new ArrayList<>();
    for (StoryCharacter c : story.request().characters()) {
      if (looks.size() == 4) {
        break;
      }
      looks.add(Look.of(c, lookRandom));
    }
    List<ScenePlan> plans = new ArrayList<>(scenes + 1);
    plans.add(
        new ScenePlan(
            AssetKind.COVER,
            0,
            theme,
            setting.place(),
            setting.night(),
            propsFor(
                setting,
                story.title()
                    + " "
                    + (story.paragraphs().isEmpty() ? "" : story.paragraphs().get(0))),
            looks,
            storySeed));
    List<String> paragraphs = story.paragraphs();
    for (int i = 0; i < scenes; i++) {
      int from = i * paragraphs.size() / scenes;
      int to = (i + 1) * paragraphs.size() / scenes;
      String text = String.join(" ", paragraphs.subList(from, to));
      boolean night = setting.night() || mentionsNight(text);
      plans.add(
          new ScenePlan(
              AssetKind.SCENE,
              i + 1,
              theme,
              setting.place(),
              night,
              propsFor(setting, text),
              looks,
              seed(storySeed + "/" + (i + 1) + "/" + text)));
    }
    return plans;
  }

  private static List<Prop> propsFor(Setting setting, String text) {
    Set<Prop> props = new LinkedHashSet<>(setting.props());
    String t = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", " ") + " ";
    for (Map.Entry<String, Prop> e : WORD_PROPS) {
      if (props.size() >= MAX_PROPS) {
        break;
      }
      if (Look.mentions(t, e.getKey())) {
        props.add(e.getValue());
      }
    }
    if (setting.underwater()) {
      props.retainAll(EnumSet.of(Prop.FISH, Prop.SEAWEED, Prop.BUBBLE, Prop.TREASURE, Prop.SHIP));
      props.add(Prop.TREASURE);
    } else {
      props.removeAll(EnumSet.of(Prop.SEAWEED, Prop.BUBBLE));
    }
    return List.copyOf(props);
  }

  private static boolean mentionsNight(String text) {
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
      if (NIGHT_WORDS.contains(w)) {
        return true;
      }
    }
    return false;
  }

  static long seed(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
