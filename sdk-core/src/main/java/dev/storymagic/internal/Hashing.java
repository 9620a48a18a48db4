package dev.storymagic.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest StoryMagic uses (cache keys, asset keys, hashed file names, log-safe
 * identifiers). One digest instance per thread, reset before each use. Not API.
 */
public final class Hashing {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
          });

  private Hashing() {}

  /** The SHA-256 of {@code bytes}: 32 bytes. */
  public static byte[] sha256(byte[] bytes) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(bytes);
  }

  /** The SHA-256 of {@code bytes} as 64 lower-case hex digits. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  /** The SHA-256 of {@code text}'s UTF-8 bytes as 64 lower-case hex digits. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
