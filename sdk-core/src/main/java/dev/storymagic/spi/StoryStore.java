package dev.storymagic.spi;

import dev.storymagic.ComponentHealth;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import java.util.Optional;

/**
 * Where delivered stories are kept. Every read and delete is scoped to an owner: a story is never
 * visible to anyone but its owner.
 *
 * <p>Implementations must be thread-safe and wrap their failures in {@link
 * StoryMagicException.StorageFailure}.
 */
public interface StoryStore {

  /**
   * Saves a story that has an {@link Story#owner() owner}. When its request carries an idempotency
   * key already used by the same owner, nothing is written and the story saved first is returned;
   * this holds under concurrent saves too.
   *
   * @return the story as stored: {@code story} itself, or the earlier story for the same key
   * @throws IllegalArgumentException if the story has no owner
   */
  Story save(Story story);

  /** The owner's story with this id. Another owner's story is reported as absent. */
  Optional<Story> find(String owner, String id);

  /** The story the owner saved with this idempotency key, if any. */
  Optional<Story> findByIdempotencyKey(String owner, String idempotencyKey);

  /**
   * A page of the owner's stories, newest first.
   *
   * @param cursor the {@link StoryPage#nextCursor()} of the previous page, or empty for the first
   * @param limit stories per page, 1 to 100
   * @throws IllegalArgumentException if the cursor is malformed or the limit out of range
   */
  StoryPage list(String owner, Optional<String> cursor, int limit);

  /** Deletes the owner's story; false if the owner has no story with this id. */
  boolean delete(String owner, String id);

  /**
   * Erases everything stored about the owner (stories and audit rows); returns the stories removed.
   */
  long deleteOwner(String owner);

  /** Everything stored about the owner. */
  OwnerExport export(String owner);

  /** Records that a request was blocked by the safety layer. */
  void recordBlocked(BlockedRequest blocked);

  /** Whether the store's backend can be reached, for health checks. */
  default ComponentHealth health() {
    return ComponentHealth.up("in memory");
  }
}
