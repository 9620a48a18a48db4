package dev.storymagic.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storymagic.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The asset options of a story request: {@code "illustrate": true} for a cover and scene pictures,
 * {@code "narrate": true} for a recording. Both default to false.
 */
public record AssetOptions(boolean illustrate, boolean narrate) {
  static final AssetOptions NONE = new AssetOptions(false, false);

  boolean any() {
    return illustrate || narrate;
  }

  /**
   * Reads the options from a body {@link StoryJson#requestTree} has already accepted as an object.
   */
  public static AssetOptions parse(JsonNode root) {
    List<FieldError> errors = new ArrayList<>();
    boolean illustrate = flag(root, "illustrate", errors);
    boolean narrate = flag(root, "narrate", errors);
    if (!errors.isEmpty()) {
      throw new ApiException(Errors.invalid(errors));
    }
    return new AssetOptions(illustrate, narrate);
  }

  private static boolean flag(JsonNode root, String field, List<FieldError> errors) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      errors.add(new FieldError(field, "must be true or false"));
      return false;
    }
    return v.booleanValue();
  }
}
