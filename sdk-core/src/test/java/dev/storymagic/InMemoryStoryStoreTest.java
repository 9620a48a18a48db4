package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.testing.SampleStories;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryPage;

class InMemoryStoryStoreTest {
  private final InMemoryStoryStore store = InMemoryStoryStore.create();

  @Test
  void storiesAreScopedToTheirOwner() {
    Story story = store.save(SampleStories.story("alice"));
    assertThat(store.find("alice", story.id())).contains(story);
    assertThat(store.find("bob", story.id())).isEmpty();
    assertThat(store.delete("bob", story.id())).isFalse();
    assertThat(store.delete("alice", story.id())).isTrue();
    assertThat(store.find("alice", story.id())).isEmpty();
  }

  @Test
  void pagesWalkEveryStoryNewestFirstExactlyOnce() {
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 25; i++) {
      store.save(SampleStories.story("alice", base.plusSeconds(i % 5)));
    }
    List<Story> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      StoryPage page = store.list("alice", cursor, 7);
      seen.addAll(page.stories());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).hasSize(25).extracting(Story::id).doesNotHaveDuplicates();
    assertThat(seen).extracting(Story::createdAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void malformedCursorAndBadLimitAreRejected() {
    assertThatThrownBy(() -> store.list("alice", Optional.of("%%%"), 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed cursor");
    assertThatThrownBy(() -> store.list("alice", Optional.empty(), 0)).hasMessage("limit must be within 1..100: 0");
  }

  @Test
  void ownerErasureRemovesStoriesAndAuditRows() {
    store.save(SampleStories.story("alice"));
    store.save(SampleStories.story("alice"));
    store.recordBlocked(new BlockedRequest(Optional.of("alice"), SafetyStage.INPUT, java.util.Set.of(SafetyCategory.HATE),
        AgeGroup.AGES_6_8, "space", "default-1", Instant.now(), Optional.empty()));
    assertThat(store.export("alice").stories()).hasSize(2);
    assertThat(store.export("alice").blockedRequests()).hasSize(1);
    assertThat(store.deleteOwner("alice")).isEqualTo(2);
    assertThat(store.export("alice").stories()).isEmpty();
    assertThat(store.export("alice").blockedRequests()).isEmpty();
  }

  @Test
  void capacityIsEnforcedWithAStorageException() {
    InMemoryStoryStore tiny = InMemoryStoryStore.create(1);
    tiny.save(SampleStories.story("a"));
    assertThatThrownBy(() -> tiny.save(SampleStories.story("b"))).isInstanceOf(StorageException.class)
        .hasMessage("in-memory store is full (1 stories)");
  }
}
