package dev.storymagic;

import static java.util.Objects.requireNonNull;

/**
 * A character the child asked for.
 *
 * @param name the character's name, such as {@code "Mia"}
 * @param description a short description, such as {@code "a curious girl who loves stars"}; may be
 *     empty
 */
public record StoryCharacter(String name, String description) {
  /** The longest name a request may carry, in characters. */
  public static final int MAX_NAME_LENGTH = 40;

  /** The longest description a request may carry, in characters. */
  public static final int MAX_DESCRIPTION_LENGTH = 200;

  public StoryCharacter {
    requireNonNull(name, "name");
    description = description == null ? "" : description;
  }
}
