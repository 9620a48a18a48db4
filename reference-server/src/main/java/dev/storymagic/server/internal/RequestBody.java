package dev.storymagic.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * A story request body as read: the request and its asset options.
 *
 * <p>{@link #readPlain} reads a body in one pass of Jackson's parser, without a tree, when it is
 * plainly valid: a JSON object of known fields, each at most once and of its type (strings, {@code
 * true}/{@code false}, {@code null} for absent), a theme, an age group and a length among the known
 * ones, characters as objects of a name and an optional description. Anything else is left to
 * {@link StoryJson#readRequest}'s tree, which lists every problem in its order and words: this
 * reader never makes an error of its own, so the two cannot disagree on one. A field added to the
 * request document is unknown here, so a body with it is read through the tree (correctly, at the
 * tree's cost) until {@code field} learns its name.
 */
public record RequestBody(StoryRequest request, AssetOptions assets) {

  /**
   * The body read in one pass, or null if it is anything but a plainly valid request (malformed,
   * trailing tokens, an unknown, repeated or mistyped field, a missing theme, an unknown age group
   * or length, a character without a name).
   */
  public static RequestBody readPlain(JsonFactory factory, byte[] body) {
    try (JsonParser p = factory.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      RequestBody read = fields(p);
      // One JSON object and nothing after it; the tree's reading refuses the rest with a message.
      return read != null && p.nextToken() == null ? read : null;
    } catch (IOException e) {
      return null; // malformed: the tree's reading says where
    }
  }

  private static final int THEME = 1;
  private static final int AGE_GROUP = 1 << 1;
  private static final int LENGTH = 1 << 2;
  private static final int CHARACTERS = 1 << 3;
  private static final int SETTING = 1 << 4;
  private static final int MORAL = 1 << 5;
  private static final int IDEA = 1 << 6;
  private static final int LANGUAGE = 1 << 7;
  private static final int FRESH = 1 << 8;
  private static final int ILLUSTRATE = 1 << 9;
  private static final int NARRATE = 1 << 10;

  /** The object's fields, after its opening brace, as the tree's reading would take them. */
  private static RequestBody fields(JsonParser p) throws IOException {
    StoryRequest.Builder b = StoryRequest.builder();
    String theme = null;
    String setting = null;
    String moral = null;
    String idea = null;
    boolean illustrate = false;
    boolean narrate = false;
    int seen = 0;
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      int field = field(p.currentName());
      if (field == 0 || (seen & field) != 0) {
        return null; // unknown or repeated
      }
      seen |= field;
      JsonToken value = p.nextToken();
      if (field == CHARACTERS) {
        if (!characters(p, value, b)) {
          return null;
        }
        continue;
      }
      if (field == FRESH || field == ILLUSTRATE || field == NARRATE) {
        if (value != JsonToken.VALUE_TRUE
            && value != JsonToken.VALUE_FALSE
            && value != JsonToken.VALUE_NULL) {
          return null;
        }
        boolean on = value == JsonToken.VALUE_TRUE;
        if (field == FRESH && value != JsonToken.VALUE_NULL) {
          b.fresh(on);
        } else if (field == ILLUSTRATE) {
          illustrate = on;
        } else if (field == NARRATE) {
          narrate = on;
        }
        continue;
      }
      if (value == JsonToken.VALUE_NULL) {
        continue; // a string field given as null is absent
      }
      if (value != JsonToken.VALUE_STRING) {
        return null;
      }
      String text = p.getText();
      switch (field) {
        case THEME -> theme = text;
        case SETTING -> setting = text;
        case MORAL -> moral = text;
        case IDEA -> idea = text;
        case LANGUAGE -> b.language(text);
        case AGE_GROUP -> {
          Optional<AgeGroup> age = AgeGroup.parse(text);
          if (age.isEmpty()) {
            return null;
          }
          b.ageGroup(age.get());
        }
        case LENGTH -> {
          Optional<StoryLength> length = StoryLength.parse(text);
          if (length.isEmpty()) {
            return null;
          }
          b.length(length.get());
        }
        default -> {
          return null;
        }
      }
    }
    if (token != JsonToken.END_OBJECT || theme == null) {
      return null;
    }
    StoryRequest request = b.theme(theme).setting(setting).moral(moral).idea(idea).build();
    return new RequestBody(request, new AssetOptions(illustrate, narrate));
  }

  private static int field(String name) {
    return switch (name) {
      case "theme" -> THEME;
      case "ageGroup" -> AGE_GROUP;
      case "length" -> LENGTH;
      case "characters" -> CHARACTERS;
      case "setting" -> SETTING;
      case "moral" -> MORAL;
      case "idea" -> IDEA;
      case "language" -> LANGUAGE;
      case "fresh" -> FRESH;
      case "illustrate" -> ILLUSTRATE;
      case "narrate" -> NARRATE;
      default -> 0;
    };
  }

  /**
   * The characters array, each added to {@code b} in order; false if it is not an array (or null)
   * of objects with a string name and, at most, a string description.
   */
  private static boolean characters(JsonParser p, JsonToken value, StoryRequest.Builder b)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return true;
    }
    if (value != JsonToken.START_ARRAY) {
      return false;
    }
    JsonToken element;
    while ((element = p.nextToken()) == JsonToken.START_OBJECT) {
      String name = null;
      String description = null;
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (p.nextToken() != JsonToken.VALUE_STRING) {
          return false;
        }
        if (field.equals("name") && name == null) {
          name = p.getText();
        } else if (field.equals("description") && description == null) {
          description = p.getText();
        } else {
          return false; // unknown or repeated
        }
      }
      if (token != JsonToken.END_OBJECT || name == null) {
        return false;
      }
      b.character(name, description == null ? "" : description);
    }
    return element == JsonToken.END_ARRAY;
  }
}
