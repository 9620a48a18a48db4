package dev.storymagic.spi;

import dev.storymagic.StoryMagicException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where an {@link AssetStore} keeps its objects: a flat key space of small immutable files, such as
 * a local folder or an S3 bucket. Integrators implement it for another object store; applications
 * use {@link AssetStore}.
 *
 * <p>Keys are relative paths of letters, digits, dots, dashes, underscores and slashes. Every
 * method fails with {@link StoryMagicException.StorageFailure} (never a raw I/O or SDK exception)
 * and, for a remote store, within a bounded time. Implementations must be thread-safe.
 */
public interface AssetStorage extends AutoCloseable {

  /**
   * Writes an object, replacing any object with the same key.
   *
   * @param contentType the HTTP content type to serve it with
   * @param publicAsset true for a content-addressed asset served to browsers (cached for a year,
   *     immutable); false for the store's private index objects
   */
  void put(String key, byte[] body, String contentType, boolean publicAsset);

  /** The object's bytes, or empty when there is none. */
  Optional<byte[]> get(String key);

  /** Whether an object exists. */
  boolean exists(String key);

  /** Deletes an object; deleting a missing object is not an error. */
  void delete(String key);

  /** The keys that start with {@code prefix}, in no particular order. */
  List<String> list(String prefix);

  /** Releases connections; the default does nothing. */
  @Override
  default void close() {}

  /** A name for logs, such as {@code "folder /var/lib/storymagic"} or {@code "s3://bucket"}. */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Objects as files under {@code root} (created when missing). */
  static AssetStorage localFolder(Path root) {
    return new dev.storymagic.internal.art.FolderStorage(root);
  }
}
