package dev.storymagic.spi;

import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import java.util.List;

/**
 * Draws the pictures of a story: a cover and at most {@code maxScenes} scene pictures.
 *
 * <p>What an illustrator is given about the story is its theme, setting and the look of its
 * characters (from their descriptions), never the characters' names or the child's free text: a
 * name may be the child's own. Implementations must be thread-safe.
 *
 * <p>Failures are {@link StoryMagicException}s: {@link StoryMagicException.ModelUnavailable} for a
 * provider that cannot be reached (retry later), {@link StoryMagicException.UnsafeInput} when the
 * picture prompt is refused by moderation, {@link StoryMagicException.ModelFailure} for anything
 * else.
 */
public interface Illustrator {
  /** The most scene pictures any story gets, whatever is asked for. */
  int MAX_SCENES = 6;

  /**
   * The cover and up to {@code maxScenes} scenes (bounded by {@link #MAX_SCENES}), cover first.
   *
   * @param maxScenes 0 for the cover alone
   */
  List<GeneratedAsset> illustrate(Story story, int maxScenes);

  /**
   * The model or engine, such as {@code "offline-svg"} or {@code "gpt-image-1"}; part of the cache
   * key.
   */
  String model();

  /**
   * The version of the way this illustrator turns a story into pictures (prompt wording, drawing
   * rules); part of the cache key, so changing it never serves an old picture.
   */
  String promptVersion();

  /**
   * The offline illustrator: a seeded, deterministic SVG scene per theme and scene (sky, ground,
   * props, the characters as simple figures in the colours of their descriptions). No network.
   */
  static Illustrator offline() {
    return dev.storymagic.internal.art.SvgIllustrator.INSTANCE;
  }
}
