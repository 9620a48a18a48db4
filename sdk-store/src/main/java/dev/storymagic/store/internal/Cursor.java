package dev.storymagic.store.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A keyset position in an owner's stories, newest first: the {@code created_at} (to the
 * microsecond, as PostgreSQL keeps it) and the id of the last story on a page. Encoded as opaque
 * base64url text. Not API.
 */
public record Cursor(Instant createdAt, UUID id) {
  private static final String PREFIX = "c1:";
  private static final Pattern FORMAT =
      Pattern.compile(
          "c1:(-?[0-9]{1,19}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  private static final int MAX_ENCODED_LENGTH = 128;

  @SuppressWarnings("JavaInstantGetSecondsGetNano") // only the sub-second part is checked
  public Cursor {
    if (createdAt.getNano() % 1_000 != 0) {
      throw new IllegalArgumentException("cursor time must be whole microseconds: " + createdAt);
    }
  }

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    String raw = PREFIX + micros + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Parses a cursor made by {@link #encode()}.
   *
   * @throws IllegalArgumentException if the text is not such a cursor
   */
  public static Cursor decode(String cursor) {
    if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException("malformed cursor");
    }
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed cursor: not base64url", e);
    }
    Matcher m = FORMAT.matcher(raw);
    if (!m.matches()) {
      throw new IllegalArgumentException("malformed cursor");
    }
    try {
      long micros = Long.parseLong(m.group(1));
      return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(m.group(2)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
  }
}
