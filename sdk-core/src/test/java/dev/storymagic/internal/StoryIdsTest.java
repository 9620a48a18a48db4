package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoryIdsTest {

  @Test
  void idsAreVersionFourUuidsInTheirUsualTextForm() {
    for (int i = 0; i < 1_000; i++) {
      String id = StoryIds.next();
      UUID parsed = UUID.fromString(id);
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
      assertThat(parsed.toString()).isEqualTo(id);
      assertThat(id).hasSize(36).matches("[0-9a-f-]+");
    }
  }

  /** Each id takes the next 16 bytes of the source, with only the version and variant bits set. */
  @Test
  void eachIdIsTheNextSixteenBytesOfTheSourceWithVersionAndVariantSet() {
    CountingSource source = new CountingSource();
    StoryIds ids = new StoryIds(source);
    // One thread: one stripe, so the source's bytes are handed out in order.
    for (int i = 0; i < 130; i++) {
      UUID id = UUID.fromString(ids.nextId());
      long expectedHigh = source.longAt(16L * i);
      long expectedLow = source.longAt(16L * i + 8);
      assertThat(id.getMostSignificantBits()).isEqualTo((expectedHigh & ~0xF000L) | 0x4000L);
      assertThat(id.getLeastSignificantBits())
          .isEqualTo((expectedLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }
    // 130 ids of 16 bytes from blocks of 64 ids: three reads of the source, not 130.
    assertThat(source.reads.get()).isEqualTo(3);
  }

  /** The 122 bits that are not the version or the variant all vary: none is masked by mistake. */
  @Test
  void everyRandomBitTakesBothValues() {
    long highOnes = 0;
    long highZeros = 0;
    long lowOnes = 0;
    long lowZeros = 0;
    for (int i = 0; i < 2_000; i++) {
      UUID id = UUID.fromString(StoryIds.next());
      highOnes |= id.getMostSignificantBits();
      highZeros |= ~id.getMostSignificantBits();
      lowOnes |= id.getLeastSignificantBits();
      lowZeros |= ~id.getLeastSignificantBits();
    }
    long versionBits = 0xF000L;
    long variantBits = 0xC000_0000_0000_0000L;
    assertThat(highOnes & highZeros).isEqualTo(~versionBits);
    assertThat(lowOnes & lowZeros).isEqualTo(~variantBits);
  }

  @Test
  void concurrentCallersNeverGetTheSameId() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> batches = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        batches.add(
            pool.submit(
                () -> {
                  List<String> mine = new ArrayList<>();
                  for (int i = 0; i < 10_000; i++) {
                    mine.add(StoryIds.next());
                  }
                  return mine;
                }));
      }
      Set<String> all = new HashSet<>();
      for (Future<List<String>> batch : batches) {
        all.addAll(batch.get());
      }
      assertThat(all).hasSize(80_000);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A source whose byte n is a function of n, counting how often it is read. */
  private static final class CountingSource extends SecureRandom {
    private static final long serialVersionUID = 1L;
    final AtomicInteger reads = new AtomicInteger();
    private long position;

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      reads.incrementAndGet();
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = byteAt(position++);
      }
    }

    private static byte byteAt(long n) {
      return (byte) (n * 167 + (n >>> 8) * 31 + 11);
    }

    long longAt(long offset) {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (byteAt(offset + i) & 0xFF);
      }
      return value;
    }
  }
}
