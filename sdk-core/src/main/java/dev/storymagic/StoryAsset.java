package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A stored, immutable, content-addressed asset of a story.
 *
 * @param key where it lives: {@code stories/<sha256 of the bytes>.<extension>}; served at {@link
 *     #path()}
 * @param storyId the story it belongs to
 * @param kind cover, scene or narration
 * @param index its position among assets of its kind
 * @param type the file type
 * @param size the file's size in bytes
 * @param altText a description for people who cannot see or hear it
 * @param model the model or engine that made it
 * @param createdAt when it was stored for this story
 */
public record StoryAsset(
    String key,
    String storyId,
    AssetKind kind,
    int index,
    AssetType type,
    long size,
    String altText,
    String model,
    Instant createdAt) {
  /** The shape of a key: the folder, 64 lower-case hex digits and a known extension. */
  public static final Pattern KEY =
      Pattern.compile("stories/[0-9a-f]{64}\\.(svg|webp|png|jpg|mp3)");

  public StoryAsset {
    requireNonNull(key, "key");
    requireNonNull(storyId, "storyId");
    requireNonNull(kind, "kind");
    requireNonNull(type, "type");
    requireNonNull(altText, "altText");
    requireNonNull(model, "model");
    requireNonNull(createdAt, "createdAt");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not an asset key: " + key);
    }
  }

  /** The URL path the asset is served at, such as {@code /assets/stories/<sha256>.svg}. */
  public String path() {
    return "/assets/" + key;
  }
}
