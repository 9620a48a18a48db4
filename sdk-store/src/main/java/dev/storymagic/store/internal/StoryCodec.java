package dev.storymagic.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import dev.storymagic.Story;
import dev.storymagic.internal.wire.StoryDocument;
import dev.storymagic.internal.wire.Wire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a {@link Story} into its stored JSON ({@link StoryDocument}, written by the one {@link
 * Wire} mapper) and back, exactly. Shared by the PostgreSQL store and the Redis cache.
 *
 * <p>The document carries {@code "v": }{@value #FORMAT_VERSION}. A reader meeting another version
 * throws {@link UnsupportedFormatException}; a document that is not a story of this version throws
 * {@link MalformedStoryException}. Not API.
 */
public final class StoryCodec {
  /** The version written into every document. */
  public static final int FORMAT_VERSION = StoryDocument.VERSION;

  private StoryCodec() {}

  /** Thrown when a document was written in a format version this reader does not know. */
  public static final class UnsupportedFormatException extends RuntimeException {
    private final int version;

    UnsupportedFormatException(int version) {
      this(
          version,
          "unsupported story format version "
              + version
              + " (this reader knows "
              + FORMAT_VERSION
              + ")");
    }

    public UnsupportedFormatException(int version, String message) {
      super(message);
      this.version = version;
    }

    public int version() {
      return version;
    }
  }

  /** Thrown when a document is not valid JSON or is missing or mistyping a field. */
  public static final class MalformedStoryException extends RuntimeException {
    MalformedStoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ---------------------------------------------------------------- writing

  public static String toJson(Story story) {
    return new String(toBytes(story), StandardCharsets.UTF_8);
  }

  public static byte[] toBytes(Story story) {
    try {
      return Wire.mapper().writeValueAsBytes(StoryDocument.of(story));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("could not encode a story", e);
    }
  }

  // ---------------------------------------------------------------- reading

  public static Story fromJson(String json) {
    return fromBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Checks the version first, so a document of another version is never mistaken for a malformed
   * one.
   */
  public static Story fromBytes(byte[] json) {
    JsonNode root;
    try {
      root = Wire.mapper().readTree(json);
    } catch (IOException e) {
      throw new MalformedStoryException("stored story is not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedStoryException("stored story is not a JSON object", null);
    }
    JsonNode version = root.get("v");
    if (version == null || !version.canConvertToInt()) {
      throw new MalformedStoryException("stored story has no format version", null);
    }
    if (version.intValue() != FORMAT_VERSION) {
      throw new UnsupportedFormatException(version.intValue());
    }
    try {
      return Wire.mapper().treeToValue(root, StoryDocument.class).toStory();
    } catch (JsonMappingException e) {
      throw new MalformedStoryException("stored story is malformed: " + describe(e), e);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new MalformedStoryException("stored story is malformed: " + e.getMessage(), e);
    }
  }

  /** The field's path (e.g. {@code 'request.characters[0].name'}) and what is wrong with it. */
  private static String describe(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    if (path.length() == 0) {
      return e.getOriginalMessage();
    }
    return e instanceof InvalidNullException
        ? "missing field '" + path + "'"
        : "field '" + path + "': " + e.getOriginalMessage();
  }
}
