package dev.storymagic;

import java.time.Duration;

/** The model did not finish within the time limit. */
public final class GenerationTimeoutException extends StoryMagicException {
  private final Duration limit;

  public GenerationTimeoutException(String message, Duration limit, Throwable cause) {
    super(message, cause);
    this.limit = limit;
  }

  /** The limit that was exceeded. */
  public Duration limit() {
    return limit;
  }

  @Override
  public String code() {
    return "generation_timeout";
  }
}
