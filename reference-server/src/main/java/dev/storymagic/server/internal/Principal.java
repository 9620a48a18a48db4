package dev.storymagic.server.internal;

import static java.util.Objects.requireNonNull;

import dev.storymagic.internal.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The authenticated caller.
 *
 * @param uid the Firebase user id, the owner of every story the caller makes
 * @param development whether this is the local development identity
 */
public record Principal(String uid, boolean development) {
  public Principal {
    requireNonNull(uid, "uid");
  }

  /** A short, stable hash of the uid for logs: correlates a user's requests without naming them. */
  public String uidHash() {
    return hash(uid);
  }

  static String hash(String value) {
    return HexFormat.of().formatHex(Hashing.sha256(value.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }
}
