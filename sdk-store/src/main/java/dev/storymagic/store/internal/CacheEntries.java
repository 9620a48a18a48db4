package dev.storymagic.store.internal;

import dev.storymagic.Story;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bytes of a story in the Redis cache: a two-byte header (envelope version, then encoding: 0
 * for plain JSON, 1 for deflated JSON) followed by the {@link StoryCodec} document. Stories of more
 * than {@value #DEFLATE_FROM} bytes are deflated. Not API.
 */
public final class CacheEntries {
  public static final byte ENVELOPE_VERSION = 1;
  static final byte PLAIN = 0;
  static final byte DEFLATED = 1;
  static final int DEFLATE_FROM = 512;

  private CacheEntries() {}

  /** Thrown for bytes this reader cannot turn into a story: treat the entry as a miss. */
  public static final class UnreadableEntryException extends RuntimeException {
    UnreadableEntryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static byte[] encode(Story story) {
    byte[] json = StoryCodec.toBytes(story);
    if (json.length < DEFLATE_FROM) {
      return withHeader(PLAIN, json, json.length);
    }
    Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    try {
      deflater.setInput(json);
      deflater.finish();
      byte[] buffer = new byte[json.length + 64];
      int length = 0;
      while (!deflater.finished()) {
        if (length == buffer.length) {
          // Incompressible: keep it plain.
          return withHeader(PLAIN, json, json.length);
        }
        length += deflater.deflate(buffer, length, buffer.length - length);
      }
      return length < json.length
          ? withHeader(DEFLATED, buffer, length)
          : withHeader(PLAIN, json, json.length);
    } finally {
      deflater.end();
    }
  }

  /**
   * Reads an entry.
   *
   * @param maxJsonBytes the largest document accepted after inflating, against corrupt or hostile
   *     entries
   * @throws UnreadableEntryException for another envelope version, encoding, or a corrupt entry
   * @throws StoryCodec.UnsupportedFormatException for a document of another format version
   */
  public static Story decode(byte[] entry, int maxJsonBytes) {
    if (entry.length < 2) {
      throw new UnreadableEntryException("cache entry too short", null);
    }
    if (entry[0] != ENVELOPE_VERSION) {
      throw new UnreadableEntryException("unknown cache entry version " + entry[0], null);
    }
    byte[] json;
    if (entry[1] == PLAIN) {
      json = Arrays.copyOfRange(entry, 2, entry.length);
    } else if (entry[1] == DEFLATED) {
      json = inflate(entry, maxJsonBytes);
    } else {
      throw new UnreadableEntryException("unknown cache entry encoding " + entry[1], null);
    }
    try {
      return StoryCodec.fromBytes(json);
    } catch (StoryCodec.MalformedStoryException e) {
      throw new UnreadableEntryException(e.getMessage(), e);
    }
  }

  private static byte[] inflate(byte[] entry, int maxJsonBytes) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(entry, 2, entry.length - 2);
      ByteArrayOutputStream out = new ByteArrayOutputStream(entry.length * 3);
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new UnreadableEntryException("truncated cache entry", null);
        }
        out.write(buffer, 0, n);
        if (out.size() > maxJsonBytes) {
          throw new UnreadableEntryException(
              "cache entry inflates beyond " + maxJsonBytes + " bytes", null);
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new UnreadableEntryException("corrupt cache entry", e);
    } finally {
      inflater.end();
    }
  }

  private static byte[] withHeader(byte encoding, byte[] body, int length) {
    byte[] entry = new byte[length + 2];
    entry[0] = ENVELOPE_VERSION;
    entry[1] = encoding;
    System.arraycopy(body, 0, entry, 2, length);
    return entry;
  }
}
