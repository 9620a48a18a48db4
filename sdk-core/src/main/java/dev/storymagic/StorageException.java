package dev.storymagic;

/** The story store failed (unreachable, timed out, or refused the operation). */
public final class StorageException extends StoryMagicException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "storage_failure";
  }
}
