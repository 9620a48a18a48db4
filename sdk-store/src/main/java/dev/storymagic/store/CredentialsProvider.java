package dev.storymagic.store;

/**
 * Where the store's pool gets the credentials for each new connection, so a rotated password is
 * picked up without a restart (see {@link SecretsManagerCredentials}). The pool asks for {@link
 * #current()} for every connection it opens; when PostgreSQL refuses those credentials it calls
 * {@link #refresh} once and retries with what that returns.
 */
public interface CredentialsProvider {
  /**
   * The credentials to connect with now; cheap (served from a cache).
   *
   * @throws dev.storymagic.StoryMagicException.StorageFailure if none can be had
   */
  DatabaseCredentials current();

  /**
   * Called after PostgreSQL refused {@code rejected} (wrong password or user): look again, since
   * the secret may have been rotated, and return what to retry with. Implementations rate-limit
   * their look-ups; returning {@code rejected} again means nothing newer exists.
   */
  DatabaseCredentials refresh(DatabaseCredentials rejected);

  /** Credentials that never change. */
  static CredentialsProvider fixed(String username, String password) {
    return new FixedCredentials(new DatabaseCredentials(username, password));
  }
}
