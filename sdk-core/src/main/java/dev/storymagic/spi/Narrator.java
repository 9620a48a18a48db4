package dev.storymagic.spi;

import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import java.util.List;

/**
 * Reads a story aloud: one recording of the whole story, or one per paragraph, in a voice and at a
 * pace suited to the story's age group. Implementations must be thread-safe and fail with {@link
 * StoryMagicException}s as {@link Illustrator} does.
 */
public interface Narrator {
  /** The recordings, in reading order. */
  List<GeneratedAsset> narrate(Story story);

  /** The model, such as {@code "gpt-4o-mini-tts"}; part of the cache key. */
  String model();

  /**
   * The version of the voice, pace and instructions chosen per age group; part of the cache key.
   */
  String promptVersion();
}
