package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.contract.StoryStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
}
