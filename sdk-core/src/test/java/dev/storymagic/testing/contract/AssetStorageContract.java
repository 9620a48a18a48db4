package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.AssetStorage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link AssetStorage} does: objects read back byte for byte, missing objects are absent
 * rather than errors, deletes are idempotent, listing is by prefix, and concurrent writers lose
 * nothing. Each test gets a fresh, empty storage.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AssetStorageContract {
  private AssetStorage storage;

  /** A new, empty storage; the contract closes it after the test. */
  protected abstract AssetStorage newStorage();

  @BeforeEach
  void open() {
    storage = newStorage();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storedObjectReadsBackByteForByte() {
    byte[] svg = bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0x80, 10, 13};
    storage.put("assets/stories/a.svg", svg, "image/svg+xml", true);
    storage.put("asset-index/owners/x/s.bin", binary, "application/octet-stream", false);
    assertThat(storage.get("assets/stories/a.svg")).get().isEqualTo(svg);
    assertThat(storage.get("asset-index/owners/x/s.bin")).get().isEqualTo(binary);
    assertThat(storage.exists("assets/stories/a.svg")).isTrue();
  }

  @Test
  void missingObjectIsAbsentNotAnError() {
    assertThat(storage.get("assets/stories/never-there.svg")).isEmpty();
    assertThat(storage.exists("assets/stories/never-there.svg")).isFalse();
    assertThat(storage.list("assets/")).isEmpty();
  }

  @Test
  void putReplacesAnObject() {
    storage.put("asset-index/refs/k", bytes("first"), "text/plain", false);
    storage.put("asset-index/refs/k", bytes("second"), "text/plain", false);
    assertThat(storage.get("asset-index/refs/k")).get().isEqualTo(bytes("second"));
    assertThat(storage.list("asset-index/")).containsExactly("asset-index/refs/k");
  }

  @Test
  void deleteRemovesTheObjectAndDeletingAMissingObjectIsNoError() {
    storage.put("assets/stories/a.svg", bytes("a"), "image/svg+xml", true);
    storage.put("assets/stories/b.svg", bytes("b"), "image/svg+xml", true);
    storage.delete("assets/stories/a.svg");
    storage.delete("assets/stories/a.svg");
    storage.delete("assets/stories/never-there.svg");
    assertThat(storage.get("assets/stories/a.svg")).isEmpty();
    assertThat(storage.exists("assets/stories/a.svg")).isFalse();
    assertThat(storage.get("assets/stories/b.svg")).get().isEqualTo(bytes("b"));
  }

  @Test
  void listReturnsTheKeysUnderAPrefixOnly() {
    storage.put("assets/stories/a.svg", bytes("a"), "image/svg+xml", true);
    storage.put("assets/stories/deep/b.svg", bytes("b"), "image/svg+xml", true);
    storage.put("asset-index/owners/alice/s1.json", bytes("[]"), "application/json", false);
    storage.put("asset-index/owners/alicia/s2.json", bytes("[]"), "application/json", false);
    assertThat(storage.list("assets/"))
        .containsExactlyInAnyOrder("assets/stories/a.svg", "assets/stories/deep/b.svg");
    assertThat(storage.list("asset-index/owners/alice/"))
        .containsExactly("asset-index/owners/alice/s1.json");
    assertThat(storage.list("nothing-here/")).isEmpty();
  }

  @Test
  void describeNamesTheStorage() {
    assertThat(storage.describe()).isNotBlank();
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    int threads = 6;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int writer = t;
        writers.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < each; i++) {
                    storage.put(
                        "assets/w" + writer + "/" + i + ".svg",
                        bytes(writer + ":" + i),
                        "image/svg+xml",
                        true);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : writers) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(storage.list("assets/")).hasSize(threads * each);
    assertThat(storage.get("assets/w3/7.svg")).get().isEqualTo(bytes("3:7"));
  }
}
