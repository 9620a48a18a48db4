package dev.storymagic;

/**
 * The one exception family StoryMagic throws from its API. Each subtype carries what a caller needs
 * to act on it; {@link #code()} is a stable, machine-readable name for logs and error bodies.
 */
public abstract sealed class StoryMagicException extends RuntimeException
    permits InvalidStoryRequestException,
        StoryRejectedException,
        UnsafeStoryException,
        RateLimitedException,
        GenerationTimeoutException,
        ModelUnavailableException,
        ModelFailureException,
        GenerationCancelledException,
        StorageException {

  protected StoryMagicException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A stable snake-case code such as {@code "invalid_request"}. */
  public abstract String code();
}
