package dev.storymagic.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

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
 *
 * <p>Blocks are striped by thread: two threads taking ids at once mostly use different blocks, so
 * they do not pass one lock and its cache line back and forth.
 */
public final class StoryIds {
  private static final int IDS_PER_BLOCK = 64;
  private static final int STRIPES = 8; // a power of two
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final StoryIds SHARED = new StoryIds(newDrbg());

  private final SecureRandom random;
  private final Stripe[] stripes = new Stripe[STRIPES];

  StoryIds(SecureRandom random) {
    this.random = random;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /** A new random id, e.g. {@code 3b241101-e2bb-4255-8caf-4136c566a962}. */
  public static String next() {
    return SHARED.nextId();
  }

  // getId, not threadId: the SDK runs on Java 17.
  @SuppressWarnings("deprecation")
  String nextId() {
    Stripe stripe = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
    long mostSignificant;
    long leastSignificant;
    // A monitor held for a copy of 16 bytes, and for a DRBG read once in 64 ids.
    synchronized (stripe) {
      byte[] block = stripe.block;
      if (stripe.next == block.length) {
        random.nextBytes(block);
        stripe.next = 0;
      }
      int at = stripe.next;
      mostSignificant = (long) LONGS.get(block, at);
      leastSignificant = (long) LONGS.get(block, at + 8);
      Arrays.fill(block, at, at + 16, (byte) 0);
      stripe.next = at + 16;
    }
    // RFC 9562: version 4 in bits 48-51, variant 0b10 in bits 64-65; the other 122 bits random.
    mostSignificant = (mostSignificant & ~0xF000L) | 0x4000L;
    leastSignificant = (leastSignificant & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(mostSignificant, leastSignificant).toString();
  }

  /** One block of random bytes and how far it has been handed out. */
  private static final class Stripe {
    // Allocated after its stripe, the block keeps two stripes' counters off one cache line.
    final byte[] block = new byte[16 * IDS_PER_BLOCK];
    int next = block.length;
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
