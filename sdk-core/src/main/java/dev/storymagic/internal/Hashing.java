package dev.storymagic.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest StoryMagic uses (cache keys, asset keys, hashed file names, log-safe
 * identifiers). Not API.
 *
 * <p>Each use takes a copy of one digest made at start-up rather than a digest kept per thread: a
 * server on virtual threads runs each request on a thread of its own, so a per-thread digest was
 * looked up among the security providers again for every request (twice for a story request).
 */
public final class Hashing {
  private static final MessageDigest SHA256 = newSha256();

  private Hashing() {}

  /** The SHA-256 of {@code bytes}: 32 bytes. */
  public static byte[] sha256(byte[] bytes) {
    return sha256Digest().digest(bytes);
  }

  /** A fresh SHA-256 digest: a copy of the prototype, or a new one if its provider cannot copy. */
  private static MessageDigest sha256Digest() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
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
