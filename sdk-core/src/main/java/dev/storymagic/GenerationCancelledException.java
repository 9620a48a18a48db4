package dev.storymagic;

/** The caller cancelled the generation (for example, a streaming client went away). */
public final class GenerationCancelledException extends StoryMagicException {
  public GenerationCancelledException(String message) {
    super(message, null);
  }

  @Override
  public String code() {
    return "cancelled";
  }
}
