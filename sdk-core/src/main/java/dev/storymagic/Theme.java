package dev.storymagic;

import static java.util.Objects.requireNonNull;

/**
 * A story theme from the catalog.
 *
 * @param id stable identifier used in requests, such as {@code "space"}; lower case letters, digits
 *     and dashes
 * @param displayName what a person reads, such as {@code "Space adventure"}
 * @param description one sentence for pickers and docs
 * @param promptGuidance instructions given to the model for stories of this theme
 */
public record Theme(String id, String displayName, String description, String promptGuidance) {
  public Theme {
    requireNonNull(id, "id");
    requireNonNull(displayName, "displayName");
    requireNonNull(description, "description");
    requireNonNull(promptGuidance, "promptGuidance");
    if (!id.matches("[a-z0-9][a-z0-9-]{0,39}")) {
      throw new IllegalArgumentException(
          "theme id must be 1-40 lower-case letters, digits or dashes: " + id);
    }
  }
}
