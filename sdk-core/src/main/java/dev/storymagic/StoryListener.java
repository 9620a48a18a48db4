package dev.storymagic;

/**
 * Receives a streamed story. Exactly one of {@link #onComplete} or {@link #onError} is called,
 * once, after any number of {@link #onText} calls. Every text chunk has passed the incremental
 * safety filters before it is delivered.
 */
public interface StoryListener {
  /** The next sentence (or sentences) of the story body, safe to show. */
  void onText(String text);

  /** The finished story, after the final safety verdict and quality checks. */
  void onComplete(Story story);

  /** The generation failed; text already delivered should be withdrawn from view. */
  void onError(StoryMagicException error);

  /** Whether the consumer went away; the pipeline then cancels the model call. */
  default boolean isCancelled() {
    return false;
  }
}
