package dev.storymagic.internal.wire;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.storymagic.StoryCharacter;
import java.util.List;

/**
 * A character, {@code {"name", "description"}}: the same in the stored form and in the HTTP view.
 */
@JsonPropertyOrder({"name", "description"})
public record CharacterDocument(String name, String description) {
  static List<CharacterDocument> all(List<StoryCharacter> characters) {
    return characters.stream().map(c -> new CharacterDocument(c.name(), c.description())).toList();
  }

  StoryCharacter toCharacter() {
    return new StoryCharacter(name, description);
  }
}
