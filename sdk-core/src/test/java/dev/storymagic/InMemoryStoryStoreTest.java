package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.contract.StoryStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InMemoryStoryStoreTest extends StoryStoreContract {
  private final InMemoryStoryStore store = InMemoryStoryStore.create();

  @Override
  protected StoryStore store() {
    return store;
  }

  @Test
  void capacityIsEnforcedWithAStorageException() {
    InMemoryStoryStore tiny = InMemoryStoryStore.create(1);
    tiny.save(SampleStories.story("a"));
    assertThatThrownBy(() -> tiny.save(SampleStories.story("b")))
        .isInstanceOf(StoryMagicException.StorageFailure.class)
        .hasMessage("in-memory store is full (1 stories)");
  }

  @Test
  void erasingAnOwnerFreesItsCapacity() {
    InMemoryStoryStore tiny = InMemoryStoryStore.create(1);
    tiny.save(SampleStories.story("a"));
    assertThat(tiny.deleteOwner("a")).isEqualTo(1);
    assertThat(tiny.save(SampleStories.story("b")).owner()).contains("b");
  }

  /**
   * Deliveries of one generation share what they hold alike; interleaved with another generation
   * and with one that has the first's very text and figures under another title, each story still
   * reads back as saved.
   */
  @Test
  void deliveriesOfInterleavedGenerationsReadBackAsSaved() {
    Story first = SampleStories.story("reader", Instant.parse("2026-01-01T10:00:00Z"));
    Story other = SampleStories.retitled(SampleStories.story("reader"), "Another Star");
    Story lookalike = SampleStories.retitled(first, "Mia and the Found Star");
    List<Story> saved = new ArrayList<>();
    int i = 0;
    for (Story from : List.of(first, first, lookalike, first, other, other, first)) {
      Story delivered =
          from.deliveredAs(
              UUID.randomUUID().toString(),
              from.request(),
              CacheTier.L1,
              new Timings(Duration.ofNanos(1_000 + i), Duration.ZERO),
              Instant.parse("2026-01-01T10:00:01Z").plusNanos(i++));
      saved.add(store.save(delivered));
    }
    // One generation's deliveries with requests of their own, each else the very same instances:
    // a retry key, another moral.
    StoryRequest r = first.request();
    StoryRequest keyed =
        new StoryRequest(
            r.theme(),
            r.ageGroup(),
            r.characters(),
            r.setting(),
            r.moral(),
            r.idea(),
            r.length(),
            r.language(),
            r.fresh(),
            r.owner(),
            Optional.of("retry-1"));
    StoryRequest otherMoral =
        new StoryRequest(
            r.theme(),
            r.ageGroup(),
            r.characters(),
            r.setting(),
            Optional.of("kindness"),
            r.idea(),
            r.length(),
            r.language(),
            r.fresh(),
            r.owner(),
            r.idempotencyKey());
    for (StoryRequest own : List.of(keyed, otherMoral)) {
      saved.add(
          store.save(
              first.deliveredAs(
                  UUID.randomUUID().toString(),
                  own,
                  CacheTier.L2,
                  Timings.ZERO,
                  Instant.parse("2026-01-01T10:00:02Z").plusNanos(i++))));
    }
    for (Story s : saved) {
      assertThat(store.find("reader", s.id())).contains(s);
    }
    assertThat(store.findByIdempotencyKey("reader", "retry-1").orElseThrow().request())
        .isEqualTo(keyed);
    List<Story> newestFirst = new ArrayList<>(saved);
    Collections.reverse(newestFirst);
    assertThat(store.export("reader").stories()).containsExactlyElementsOf(newestFirst);
  }

  @Test
  void timingsTooLongForNanosecondsAndTimesBeforeTheEpochReadBackAsSaved() {
    Story centuries =
        SampleStories.story("slow", Instant.parse("1969-07-20T20:17:40.123456789Z"))
            .deliveredAs(
                "centuries",
                SampleStories.request().withOwner("slow"),
                CacheTier.NONE,
                new Timings(Duration.ofDays(365L * 400), Duration.ofDays(365L * 300)),
                Instant.parse("1969-07-20T20:17:40.123456789Z"));
    store.save(centuries);
    assertThat(store.find("slow", "centuries")).isEqualTo(Optional.of(centuries));
    assertThat(store.list("slow", Optional.empty(), 10).stories()).containsExactly(centuries);
  }

  /** Saves far out of time order land in place: listed newest first, then removed one by one. */
  @Test
  void manySavesInReverseTimeOrderAreListedNewestFirst() {
    Instant base = Instant.parse("2026-02-01T00:00:00Z");
    List<Story> saved = new ArrayList<>();
    for (int i = 299; i >= 0; i--) {
      saved.add(store.save(SampleStories.story("backwards", base.plusMillis(i))));
    }
    assertThat(store.export("backwards").stories()).containsExactlyElementsOf(saved);
    for (int i = 0; i < saved.size(); i += 2) {
      assertThat(store.delete("backwards", saved.get(i).id())).isTrue();
    }
    List<Story> left = new ArrayList<>();
    for (int i = 1; i < saved.size(); i += 2) {
      left.add(saved.get(i));
    }
    assertThat(store.export("backwards").stories()).containsExactlyElementsOf(left);
  }

  /**
   * Random saves (lower-case UUID ids, other ids, ids saved again), deletions and reads checked
   * against a sorted map after every step: slots freed and used again, index cells moved back over
   * deletions, generations shared, released and made again, saves out of time order, pages walked
   * through cursors.
   */
  @Test
  void randomSavesAndDeletionsReadBackLikeASortedMap() {
    Random random = new Random(20261204);
    Instant base = Instant.parse("2026-03-01T00:00:00Z");
    Story first = SampleStories.story("model", base);
    Story second = SampleStories.retitled(SampleStories.story("model", base), "The Other Star");
    // Oldest first, equal times by id as text: the store's order.
    Map<String, Story> model = new TreeMap<>();
    List<String> ids = new ArrayList<>();
    for (int step = 0; step < 6_000; step++) {
      int op = random.nextInt(10);
      if (op < 6 || ids.isEmpty()) {
        String id =
            switch (random.nextInt(6)) {
              case 0 -> "story-" + random.nextInt(500); // not a UUID; may exist already
              case 1 -> UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
              case 2 -> ids.isEmpty() ? "x" : ids.get(random.nextInt(ids.size())); // saved again
              default -> UUID.randomUUID().toString();
            };
        Story from = random.nextInt(4) == 0 ? second : first;
        Story story =
            from.deliveredAs(
                id,
                from.request(),
                CacheTier.L1,
                new Timings(Duration.ofNanos(random.nextInt(1_000_000)), Duration.ZERO),
                // Few distinct times, so that equal times are ordered by id.
                base.plusMillis(random.nextInt(50)));
        store.save(story);
        model.values().removeIf(s -> s.id().equals(id));
        model.put(key(story), story);
        if (!ids.contains(id)) {
          ids.add(id);
        }
      } else if (op < 8) {
        String id = ids.remove(random.nextInt(ids.size()));
        boolean existed = model.values().removeIf(s -> s.id().equals(id));
        assertThat(store.delete("model", id)).isEqualTo(existed);
      } else {
        String id = ids.get(random.nextInt(ids.size()));
        Optional<Story> expected =
            model.values().stream().filter(s -> s.id().equals(id)).findFirst();
        assertThat(store.find("model", id)).isEqualTo(expected);
      }
      if (step % 500 == 499) {
        List<Story> newestFirst = new ArrayList<>(model.values());
        Collections.reverse(newestFirst);
        assertThat(store.export("model").stories()).containsExactlyElementsOf(newestFirst);
        assertThat(walk("model", 7)).containsExactlyElementsOf(newestFirst);
        for (Story s : model.values()) {
          assertThat(store.find("model", s.id())).contains(s);
        }
      }
    }
  }

  /**
   * Enough stories for several pages of numbers and a split id index: 30,000 saved (some with ids
   * other than lower-case UUIDs, some with requests of their own), two in three deleted, 5,000 more
   * saved into the freed slots; each left is found as saved and the order holds.
   */
  @Test
  void thousandsOfStoriesAcrossPagesAndIndexSplitsReadBackAsSaved() {
    Random random = new Random(42);
    Instant base = Instant.parse("2026-05-01T00:00:00Z");
    Story first = SampleStories.story("many", base);
    Map<String, Story> model = new TreeMap<>();
    List<Story> saved = new ArrayList<>();
    for (int i = 0; i < 35_000; i++) {
      String id = i % 97 == 0 ? "odd-" + i : UUID.randomUUID().toString();
      StoryRequest request =
          i % 89 == 0
              ? first.request().toBuilder().idempotencyKey("k" + i).build()
              : first.request();
      Story s =
          store.save(
              first.deliveredAs(
                  id,
                  request,
                  CacheTier.L1,
                  Timings.ZERO,
                  base.plusMillis(random.nextInt(100_000))));
      model.put(key(s), s);
      saved.add(s);
      if (i == 29_999) {
        for (Story old : saved) {
          if (random.nextInt(3) != 0) {
            assertThat(store.delete("many", old.id())).isTrue();
            model.remove(key(old));
          }
        }
      }
    }
    for (Story s : model.values()) {
      assertThat(store.find("many", s.id())).contains(s);
    }
    List<Story> newestFirst = new ArrayList<>(model.values());
    Collections.reverse(newestFirst);
    assertThat(store.export("many").stories()).containsExactlyElementsOf(newestFirst);
    assertThat(walk("many", 100)).containsExactlyElementsOf(newestFirst);
  }

  /** The store's order as a sortable key: time, then id as text. */
  private static String key(Story s) {
    Instant at = s.createdAt();
    return String.format("%020d:%09d:%s", at.getEpochSecond(), at.getNano(), s.id());
  }

  private List<Story> walk(String owner, int pageSize) {
    List<Story> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      StoryPage page = store.list(owner, cursor, pageSize);
      all.addAll(page.stories());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return all;
  }

  /**
   * Reads take no lock: while two threads save and delete other stories of the same owner (moving
   * index cells and growing the arrays), readers always find the stories that stay, exactly as
   * saved, and never a deleted one.
   */
  @Test
  void readsDuringSavesAndDeletionsSeeEveryStayingStoryAsSaved() throws Exception {
    List<Story> staying = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      staying.add(store.save(SampleStories.story("busy")));
    }
    Story gone = store.save(SampleStories.story("busy"));
    store.delete("busy", gone.id());
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        writers.add(
            threads.submit(
                () -> {
                  start.await();
                  // Mostly saved and deleted at once: a small index whose runs of cells move.
                  for (int i = 0; i < 60_000; i++) {
                    Story s = store.save(SampleStories.story("busy"));
                    if (i % 1_000 != 0) {
                      store.delete("busy", s.id());
                    }
                  }
                  return null;
                }));
      }
      List<Future<Long>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int offset = r;
        readers.add(
            threads.submit(
                () -> {
                  start.await();
                  long reads = 0;
                  for (int i = offset; writing.get() || i < 2_000; i++) {
                    Story expected = staying.get(i % staying.size());
                    assertThat(store.find("busy", expected.id())).contains(expected);
                    assertThat(store.find("busy", gone.id())).isEmpty();
                    reads++;
                  }
                  return reads;
                }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<Long> reader : readers) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(store.export("busy").stories()).hasSize(64 + 2 * 60);
  }

  /** Ids other than lower-case UUIDs are kept as given and ordered as text among UUIDs. */
  @Test
  void idsOtherThanLowerCaseUuidsReadBackAsGivenInTextOrder() {
    Instant at = Instant.parse("2026-04-01T00:00:00Z");
    String upper = "0F0E0D0C-0B0A-4908-8706-050403020100";
    List<String> ids =
        List.of(
            upper,
            upper.toLowerCase(java.util.Locale.ROOT),
            "0f0e0d0c-0b0a-4908-8706-050403020101",
            "ffffffff-ffff-4fff-bfff-ffffffffffff",
            "zz-last",
            "0",
            "0f0e0d0c-0b0a-4908-8706-05040302010", // one digit short
            "0f0e0d0c+0b0a-4908-8706-050403020100");
    for (String id : ids) {
      Story s = SampleStories.story("texts", at);
      store.save(s.deliveredAs(id, s.request(), CacheTier.NONE, s.timings(), at));
    }
    List<String> newestFirst = new ArrayList<>(ids);
    newestFirst.sort(java.util.Comparator.reverseOrder());
    assertThat(store.export("texts").stories())
        .extracting(Story::id)
        .containsExactlyElementsOf(newestFirst);
    assertThat(walk("texts", 3)).extracting(Story::id).containsExactlyElementsOf(newestFirst);
    for (String id : ids) {
      assertThat(store.find("texts", id)).map(Story::id).contains(id);
    }
    assertThat(store.find("texts", "0F0E0D0C-0B0A-4908-8706-050403020101")).isEmpty();
  }
}
