package dev.storymagic.spi;

/** Receives a model's output while it is being written. */
public interface ModelStreamListener {
  /**
   * Called with the next piece of the story body, in order. Implementations of {@link StoryModel}
   * deliver body text only (never JSON or markup); a title line, if streamed, goes to {@link
   * #onTitle(String)}.
   */
  void onDelta(String text);

  /** Called once when the title is known, before or after body deltas. */
  default void onTitle(String title) {}

  /**
   * Whether the consumer went away. Models poll this between chunks and stop (cancelling the
   * underlying call) when it turns true.
   */
  default boolean isCancelled() {
    return false;
  }
}
