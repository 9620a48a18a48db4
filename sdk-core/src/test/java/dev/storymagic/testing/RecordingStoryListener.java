package dev.storymagic.testing;

import dev.storymagic.Story;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what a consumer of {@code StoryMagic.stream} sees: the text pieces in order, and the
 * completion or the error. Can play a consumer that went away. Thread-safe.
 */
public final class RecordingStoryListener implements StoryListener {
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final List<Story> completed = new CopyOnWriteArrayList<>();
  private final List<StoryMagicException> errors = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  @Override
  public void onText(String text) {
    texts.add(text);
  }

  @Override
  public void onComplete(Story story) {
    completed.add(story);
  }

  @Override
  public void onError(StoryMagicException error) {
    errors.add(error);
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  /** From now on the consumer has gone away. */
  public void cancel() {
    cancelled = true;
  }

  public List<String> texts() {
    return List.copyOf(texts);
  }

  /** The text pieces joined in order: what the consumer showed. */
  public String shown() {
    return String.join("", texts);
  }

  public List<Story> completed() {
    return List.copyOf(completed);
  }

  public List<StoryMagicException> errors() {
    return List.copyOf(errors);
  }

  /**
   * How many times the stream ended (completions plus errors): exactly one for a finished stream.
   */
  public int endings() {
    return completed.size() + errors.size();
  }
}
