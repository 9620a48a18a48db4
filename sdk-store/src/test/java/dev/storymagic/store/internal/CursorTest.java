package dev.storymagic.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

  @Test
  void encodedCursorDecodesToTheSamePosition() {
    Cursor c = new Cursor(Instant.parse("2024-01-01T00:00:00.123456Z"), UUID.randomUUID());
    String encoded = c.encode();
    assertThat(encoded).matches("[A-Za-z0-9_-]+");
    assertThat(Cursor.decode(encoded)).isEqualTo(c);
  }

  @Test
  void timesBeforeTheEpochRoundTrip() {
    Cursor c = new Cursor(Instant.parse("1969-12-31T23:59:59.999999Z"), UUID.randomUUID());
    assertThat(Cursor.decode(c.encode())).isEqualTo(c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "!!!", "abc", "YzE6MTIzOm5vdC1hLXV1aWQ"})
  void malformedCursorIsAnIllegalArgument(String cursor) {
    assertThatThrownBy(() -> Cursor.decode(cursor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed cursor");
  }

  @Test
  void cursorWithAnOverflowingTimeIsMalformed() {
    String raw = "c1:99999999999999999999:" + UUID.randomUUID();
    String cursor =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> Cursor.decode(cursor)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overlongCursorIsRejectedBeforeDecoding() {
    assertThatThrownBy(() -> Cursor.decode("A".repeat(10_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed cursor");
  }
}
