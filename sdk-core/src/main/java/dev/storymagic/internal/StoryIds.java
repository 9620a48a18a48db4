package dev.storymagic.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Story ids: random (version 4) UUIDs in their usual text form, as {@link UUID#randomUUID} makes
 * them, with the random bits read from a DRBG a block at a time. Not API.
 *
 * <p>{@code UUID.randomUUID} asks the platform's default {@code SecureRandom} for 16 bytes per id;
 * on Linux that is {@code NativePRNG}, which reads the kernel's pool and mixes it with SHA1PRNG on
 * every call, under one lock shared by all threads. A story served from the cache gets a new id, so
 * that cost was paid by every cached request. Here one SP 800-90A DRBG, seeded from the platform's
 * entropy source, fills a block of 64 ids at once, and each id then costs a copy. Ids stay as
 * unguessable as before: every bit the version and variant do not fix comes from the DRBG. Bytes
 * handed out are cleared from the block, so it never holds an id already given.
 */
public final class StoryIds {
  private static final int IDS_PER_BLOCK = 64;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final StoryIds SHARED = new StoryIds(newDrbg());

  private final SecureRandom random;
  private final ReentrantLock lock = new ReentrantLock();
  private final byte[] block = new byte[16 * IDS_PER_BLOCK];
  private int next = block.length;

  StoryIds(SecureRandom random) {
    this.random = random;
  }

  /** A new random id, e.g. {@code 3b241101-e2bb-4255-8caf-4136c566a962}. */
  public static String next() {
    return SHARED.nextId();
  }

  String nextId() {
    long mostSignificant;
    long leastSignificant;
    // A lock rather than synchronized: a virtual thread refilling the block must not pin its
    // carrier
    // on Java 21.
    lock.lock();
    try {
      if (next == block.length) {
        random.nextBytes(block);
        next = 0;
      }
      mostSignificant = (long) LONGS.get(block, next);
      leastSignificant = (long) LONGS.get(block, next + 8);
      Arrays.fill(block, next, next + 16, (byte) 0);
      next += 16;
    } finally {
      lock.unlock();
    }
    // RFC 9562: version 4 in bits 48-51, variant 0b10 in bits 64-65; the other 122 bits random.
    mostSignificant = (mostSignificant & ~0xF000L) | 0x4000L;
    leastSignificant = (leastSignificant & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(mostSignificant, leastSignificant).toString();
  }

  private static SecureRandom newDrbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      // Every JDK since 9 has DRBG; a platform stripped of it still has a default SecureRandom.
      return new SecureRandom();
    }
  }
}
