package dev.storymagic.internal.art;

import static java.util.Objects.requireNonNull;

import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.AssetStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Objects as files under a root folder. A write goes to a temporary file first and is moved into
 * place, so a reader never sees half a file.
 */
public final class FolderStorage implements AssetStorage {
  static final Pattern KEY =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

  private final Path root;

  public FolderStorage(Path root) {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new StoryMagicException.StorageFailure(
          "the asset folder " + this.root + " cannot be created: " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String key, byte[] body, String contentType, boolean publicAsset) {
    Path target = resolve(key);
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
      try {
        Files.write(temp, body);
        try {
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new StoryMagicException.StorageFailure(
          "writing asset object " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(resolve(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoryMagicException.StorageFailure(
          "reading asset object " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public void delete(String key) {
    try {
      Files.deleteIfExists(resolve(key));
    } catch (IOException e) {
      throw new StoryMagicException.StorageFailure(
          "deleting asset object " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    // The deepest folder the prefix names; keys under it are filtered by the full prefix.
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !p.getFileName().toString().startsWith(".")) {
                  keys.add(key);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      throw new StoryMagicException.StorageFailure(
          "listing asset objects under " + prefix + " failed: " + e.getMessage(), e);
    }
    return keys;
  }

  @Override
  public String describe() {
    return "folder " + root;
  }

  private Path resolve(String key) {
    requireNonNull(key, "key");
    if (!KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("not an object key: " + key);
    }
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("not an object key: " + key);
    }
    return p;
  }
}
