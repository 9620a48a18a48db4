package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.Story;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.OwnerExport;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link StoryStore} does: owner scoping, idempotency (also under concurrent saves),
 * newest-first paging, deletion, erasure and export. An implementation's test extends this class
 * and supplies the store; every test works with owners of its own, so one store may serve them all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StoryStoreContract {
  /** The store under test; called once or more per test, it may return the same instance. */
  protected abstract StoryStore store();

  /** A fresh owner no other test uses. */
  protected static String owner() {
    return "owner-" + UUID.randomUUID();
  }

  @Test
  void savedStoryIsFoundByItsOwnerExactlyAsSaved() {
    String owner = owner();
    Story story = SampleStories.withIdempotencyKey(owner, "k-" + UUID.randomUUID());
    assertThat(store().save(story)).isSameAs(story);
    assertThat(store().find(owner, story.id())).contains(story);
    assertThat(store().findByIdempotencyKey(owner, story.request().idempotencyKey().orElseThrow()))
        .contains(story);
  }

  @Test
  void anotherOwnerNeverSeesOrDeletesAStory() {
    String alice = owner();
    String bob = owner();
    Story story = store().save(SampleStories.withIdempotencyKey(alice, "shared-key"));
    assertThat(store().find(bob, story.id())).isEmpty();
    assertThat(store().findByIdempotencyKey(bob, "shared-key")).isEmpty();
    assertThat(store().list(bob, Optional.empty(), 100).stories()).isEmpty();
    assertThat(store().export(bob).stories()).isEmpty();
    assertThat(store().delete(bob, story.id())).isFalse();
    assertThat(store().deleteOwner(bob)).isZero();
    assertThat(store().find(alice, story.id())).contains(story);
  }

  @Test
  void unknownIdsAndKeysAreAbsent() {
    String owner = owner();
    assertThat(store().find(owner, UUID.randomUUID().toString())).isEmpty();
    assertThat(store().find(owner, "not-a-uuid")).isEmpty();
    assertThat(store().findByIdempotencyKey(owner, "never-used")).isEmpty();
    assertThat(store().delete(owner, UUID.randomUUID().toString())).isFalse();
    assertThat(store().delete(owner, "not-a-uuid")).isFalse();
    assertThat(store().list(owner, Optional.empty(), 10))
        .isEqualTo(new StoryPage(List.of(), Optional.empty()));
  }

  @Test
  void savingAStoryWithoutAnOwnerIsRejected() {
    Story unowned = SampleStories.unowned(SampleStories.story(owner()));
    assertThatThrownBy(() -> store().save(unowned))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a stored story needs an owner");
  }

  @Test
  void savingTheSameIdAgainReplacesTheStory() {
    String owner = owner();
    Story first = store().save(SampleStories.story(owner));
    Story retitled = SampleStories.retitled(first, "A New Title");
    assertThat(store().save(retitled)).isSameAs(retitled);
    assertThat(store().find(owner, first.id()).orElseThrow().title()).isEqualTo("A New Title");
    assertThat(store().list(owner, Optional.empty(), 10).stories()).containsExactly(retitled);
  }

  @Test
  void sameIdempotencyKeyOfAnotherOwnerIsAnotherStory() {
    Story a = store().save(SampleStories.withIdempotencyKey(owner(), "same"));
    Story b = store().save(SampleStories.withIdempotencyKey(owner(), "same"));
    assertThat(b.id()).isNotEqualTo(a.id());
  }

  @Test
  void idempotencyKeyReturnsTheFirstStoryAndWritesNothingElse() {
    String owner = owner();
    Story first = store().save(SampleStories.withIdempotencyKey(owner, "retry-1"));
    Story second = store().save(SampleStories.withIdempotencyKey(owner, "retry-1"));
    assertThat(second).isEqualTo(first);
    assertThat(store().list(owner, Optional.empty(), 10).stories()).containsExactly(first);
  }

  @Test
  void concurrentDuplicatesOfAnIdempotencyKeyYieldOneStory() throws Exception {
    int threads = 12;
    for (int round = 0; round < 3; round++) {
      String owner = owner();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Story>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Story candidate = SampleStories.withIdempotencyKey(owner, "double-click");
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return store().save(candidate);
                  }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<Story> f : results) {
          ids.add(f.get(30, TimeUnit.SECONDS).id());
        }
        assertThat(ids).hasSize(1);
        assertThat(store().list(owner, Optional.empty(), 100).stories())
            .extracting(Story::id)
            .containsExactlyElementsOf(ids);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void concurrentSavesLoseAndDuplicateNothing() throws Exception {
    String owner = owner();
    int threads = 8;
    int each = 60;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Set<String> saved = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    saved.add(store().save(SampleStories.story(owner)).id());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(saved).hasSize(threads * each);
    List<String> listed = walk(owner, 100).stream().map(Story::id).toList();
    assertThat(listed).hasSize(threads * each).doesNotHaveDuplicates();
    assertThat(new HashSet<>(listed)).isEqualTo(saved);
  }

  @Test
  void pagesWalkEveryStoryNewestFirstIncludingEqualTimestamps() {
    String owner = owner();
    Instant base = Instant.parse("2024-03-01T10:00:00Z");
    List<Story> all = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // Groups of three share one timestamp, so the id breaks ties.
      all.add(store().save(SampleStories.story(owner, base.plusSeconds(i / 3))));
    }
    List<List<Story>> pages = pages(owner, 5);
    assertThat(pages).hasSize(5).allSatisfy(page -> assertThat(page).hasSizeLessThanOrEqualTo(5));
    assertThat(pages.stream().flatMap(List::stream)).containsExactlyElementsOf(newestFirst(all));
  }

  /** Every page of the owner's stories, following the cursors from the first page. */
  private List<List<Story>> pages(String owner, int limit) {
    List<List<Story>> pages = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      StoryPage page = store().list(owner, cursor, limit);
      pages.add(page.stories());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return pages;
  }

  /** The order a store lists stories in: newest first, equal times by id, descending. */
  private static List<Story> newestFirst(List<Story> stories) {
    return stories.stream()
        .sorted(
            Comparator.comparing(Story::createdAt)
                .reversed()
                .thenComparing(Story::id, Comparator.reverseOrder()))
        .toList();
  }

  @Test
  void storiesSavedOutOfTimeOrderArePagedNewestFirstAndADeletionKeepsTheOrder() {
    String owner = owner();
    Instant base = Instant.parse("2024-05-01T08:00:00Z");
    List<Story> all = new ArrayList<>();
    // Saved in a shuffled order of creation times, some equal, as concurrent requests may be.
    for (int i : new int[] {5, 1, 9, 3, 3, 0, 7, 2, 8, 6, 4, 9}) {
      all.add(store().save(SampleStories.story(owner, base.plusSeconds(i))));
    }
    Story middle = all.get(3);
    assertThat(store().delete(owner, middle.id())).isTrue();
    all.remove(middle);
    List<Story> expected = newestFirst(all);
    assertThat(pages(owner, 4).stream().flatMap(List::stream)).containsExactlyElementsOf(expected);
    assertThat(store().export(owner).stories()).containsExactlyElementsOf(expected);
  }

  @Test
  void lastFullPageHasNoNextCursor() {
    String owner = owner();
    for (int i = 0; i < 4; i++) {
      store().save(SampleStories.story(owner));
    }
    StoryPage page = store().list(owner, Optional.empty(), 4);
    assertThat(page.stories()).hasSize(4);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void malformedCursorAndLimitOutOfRangeAreIllegalArguments() {
    assertThatThrownBy(() -> store().list(owner(), Optional.of("%%%"), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed cursor");
    assertThatThrownBy(() -> store().list(owner(), Optional.of("bm90LWEtY3Vyc29y"), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed cursor");
    assertThatThrownBy(() -> store().list(owner(), Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be within 1..100: 0");
    assertThatThrownBy(() -> store().list(owner(), Optional.empty(), 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be within 1..100: 101");
  }

  @Test
  void deleteRemovesOnlyThatStory() {
    String owner = owner();
    Story keep = store().save(SampleStories.story(owner));
    Story gone = store().save(SampleStories.withIdempotencyKey(owner, "gone"));
    assertThat(store().delete(owner, gone.id())).isTrue();
    assertThat(store().delete(owner, gone.id())).isFalse();
    assertThat(store().find(owner, gone.id())).isEmpty();
    assertThat(store().findByIdempotencyKey(owner, "gone")).isEmpty();
    assertThat(store().find(owner, keep.id())).contains(keep);
  }

  @Test
  void blockedRequestAuditKeepsCategoriesStageAgeThemePolicyAndTime() {
    String owner = owner();
    Instant at = Instant.parse("2024-06-01T12:00:00.123456Z");
    store()
        .recordBlocked(
            new BlockedRequest(
                Optional.of(owner),
                SafetyStage.INPUT,
                Set.of(SafetyCategory.VIOLENCE, SafetyCategory.PERSONAL_DATA),
                AgeGroup.AGES_3_5,
                "space",
                "default-1",
                at,
                Optional.empty()));
    assertThat(store().export(owner).blockedRequests())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.owner()).contains(owner);
              assertThat(b.stage()).isEqualTo(SafetyStage.INPUT);
              assertThat(b.categories())
                  .containsExactlyInAnyOrder(SafetyCategory.VIOLENCE, SafetyCategory.PERSONAL_DATA);
              assertThat(b.ageGroup()).isEqualTo(AgeGroup.AGES_3_5);
              assertThat(b.theme()).isEqualTo("space");
              assertThat(b.policyVersion()).isEqualTo("default-1");
              assertThat(b.at()).isEqualTo(at);
              assertThat(b.text()).isEmpty();
            });
  }

  @Test
  void exportHoldsStoriesNewestFirstAndAuditRowsAndErasureRemovesOnlyThatOwner() {
    String owner = owner();
    Story older = store().save(SampleStories.story(owner, Instant.parse("2024-01-01T00:00:00Z")));
    Story newer = store().save(SampleStories.story(owner, Instant.parse("2024-02-01T00:00:00Z")));
    store()
        .recordBlocked(
            new BlockedRequest(
                Optional.of(owner),
                SafetyStage.OUTPUT,
                Set.of(SafetyCategory.HATE),
                AgeGroup.AGES_6_8,
                "forest",
                "default-1",
                Instant.now(),
                Optional.empty()));
    String bystander = owner();
    Story other = store().save(SampleStories.story(bystander));

    OwnerExport export = store().export(owner);
    assertThat(export.owner()).isEqualTo(owner);
    assertThat(export.stories()).containsExactly(newer, older);
    assertThat(export.blockedRequests()).hasSize(1);

    assertThat(store().deleteOwner(owner)).isEqualTo(2);
    OwnerExport after = store().export(owner);
    assertThat(after.stories()).isEmpty();
    assertThat(after.blockedRequests()).isEmpty();
    assertThat(store().find(bystander, other.id())).contains(other);
  }

  private List<Story> walk(String owner, int limit) {
    List<Story> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      StoryPage page = store().list(owner, cursor, limit);
      all.addAll(page.stories());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return all;
  }
}
