package dev.storymagic.internal.art;

import dev.storymagic.StoryCharacter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How a character is drawn, read from its description only (never its name): a body shape and
 * colours from the colour words and creature words it contains. Only values from fixed tables come
 * out, so nothing the user typed reaches a picture or a prompt verbatim.
 *
 * @param shape the figure drawn
 * @param body the main colour (hex)
 * @param accent the second colour (hex)
 * @param words the look in plain words for an image prompt, built from the same tables
 */
public record Look(Shape shape, String body, String accent, String words) {

  /**
   * The figures the offline illustrator can draw, each with the creature words that call for it (a
   * word's plural counts too); the first shape with a word in the description wins.
   */
  public enum Shape {
    CHILD("child"),
    CAT("cat", "kitten", "cat"),
    DOG("puppy", "puppy", "dog"),
    BEAR("bear", "bear"),
    BUNNY("bunny", "bunny", "rabbit", "hare"),
    DRAGON("dragon", "dragon"),
    ROBOT("robot", "robot"),
    FOX("fox", "fox"),
    OWL("owl", "owl"),
    DINOSAUR("dinosaur", "dinosaur", "dino", "t-rex"),
    FISH("fish", "fish", "whale"),
    MOUSE("mouse", "mouse");

    final String noun;

    @SuppressWarnings("ImmutableEnumChecker") // List.of: unmodifiable
    private final List<String> words;

    Shape(String noun, String... words) {
      this.noun = noun;
      this.words = List.of(words);
    }

    public String noun() {
      return noun;
    }
  }

  /** Colour words and their colours, in a fixed order so the first match wins deterministically. */
  static final List<Map.Entry<String, String>> COLOURS =
      List.of(
          Map.entry("red", "#e5533d"),
          Map.entry("orange", "#f29a38"),
          Map.entry("yellow", "#f5cd47"),
          Map.entry("golden", "#e8b830"),
          Map.entry("gold", "#e8b830"),
          Map.entry("green", "#5cb85c"),
          Map.entry("blue", "#4a90d9"),
          Map.entry("purple", "#9b6bcc"),
          Map.entry("violet", "#9b6bcc"),
          Map.entry("pink", "#f08cb4"),
          Map.entry("brown", "#9c6b43"),
          Map.entry("black", "#3a3a48"),
          Map.entry("white", "#f4f1ea"),
          Map.entry("grey", "#9aa0a8"),
          Map.entry("gray", "#9aa0a8"),
          Map.entry("silver", "#c4ccd4"),
          Map.entry("teal", "#3bb3a6"),
          Map.entry("turquoise", "#3bc4c4"));

  private static final String[] SHIRTS = {
    "#e5533d", "#4a90d9", "#5cb85c", "#9b6bcc", "#f29a38", "#3bb3a6"
  };
  private static final String[] FURS = {"#c98b4f", "#9aa0a8", "#e8b830", "#9c6b43", "#f4f1ea"};

  /**
   * The look of a character, seeded so a description without colour words still gets a stable one.
   */
  public static Look of(StoryCharacter character, SplittableRandom random) {
    String d =
        " " + character.description().toLowerCase(Locale.ROOT).replaceAll("[^a-z-]+", " ") + " ";
    Shape shape = shapeOf(d);
    String colourWord = null;
    String body = null;
    String accent = null;
    for (Map.Entry<String, String> e : COLOURS) {
      if (d.contains(" " + e.getKey() + " ")) {
        if (body == null) {
          body = e.getValue();
          colourWord = e.getKey();
        } else if (!e.getValue().equals(body)) {
          accent = e.getValue();
          break;
        }
      }
    }
    String[] palette = shape == Shape.CHILD ? SHIRTS : FURS;
    if (body == null) {
      body = palette[random.nextInt(palette.length)];
    }
    if (accent == null) {
      accent = shape == Shape.CHILD ? "#34495e" : "#f7e3c8";
    }
    String words = (colourWord == null ? "" : colourWord + " ") + shape.noun();
    if (shape == Shape.CHILD) {
      words = colourWord == null ? "a child" : "a child in " + colourWord;
    } else {
      words = (words.matches("^[aeiou].*") ? "an " : "a ") + words;
    }
    return new Look(shape, body, accent, words);
  }

  private static Shape shapeOf(String paddedDescription) {
    for (Shape shape : Shape.values()) {
      for (String word : shape.words) {
        if (mentions(paddedDescription, word)) {
          return shape;
        }
      }
    }
    return Shape.CHILD;
  }

  /**
   * Whether {@code paddedText} (lower case, words separated by single spaces and a space at each
   * end) holds {@code word} or its plural.
   */
  static boolean mentions(String paddedText, String word) {
    return paddedText.contains(" " + word + " ") || paddedText.contains(" " + word + "s ");
  }
}
