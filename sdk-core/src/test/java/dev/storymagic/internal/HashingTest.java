package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HashingTest {

  @Test
  void matchesTheStandardTestVectors() {
    // FIPS 180-2 examples.
    assertThat(Hashing.sha256Hex(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Hashing.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Hashing.sha256("abc".getBytes(StandardCharsets.UTF_8))).hasSize(32);
  }

  /** Every use has a digest of its own: many threads at once each get their input's digest. */
  @Test
  void concurrentUsesDoNotMixTheirInputs() throws Exception {
    String expectedAbc = Hashing.sha256Hex("abc");
    String expectedEmpty = Hashing.sha256Hex("");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        boolean abc = i % 2 == 0;
        results.add(
            pool.submit(
                () ->
                    Hashing.sha256Hex(abc ? "abc" : "").equals(abc ? expectedAbc : expectedEmpty)));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
