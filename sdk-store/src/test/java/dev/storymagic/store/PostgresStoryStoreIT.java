package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.ComponentHealth;
import dev.storymagic.spi.OwnerExport;
import dev.storymagic.SafetyCategory;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.StorageException;
import dev.storymagic.Story;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.StoryRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresStoryStoreIT {
  private static String schema;
  private static PostgresStoryStore store;

  @BeforeAll
  static void start() {
    LocalPostgres.requireRunning();
    schema = LocalPostgres.randomSchema("sm_store");
    store = PostgresStoryStore.create(LocalPostgres.config(schema).maxPoolSize(12).build());
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (schema != null) {
      LocalPostgres.dropSchema(schema);
    }
  }

  private static String owner() {
    return "owner-" + UUID.randomUUID();
  }

  @Test
  void savedStoryIsFoundByItsOwnerExactlyAsSaved() {
    String owner = owner();
    Story story = TestStories.rich(owner, "k-" + UUID.randomUUID());
    assertThat(store.save(story)).isSameAs(story);
    assertThat(store.find(owner, story.id())).contains(story);
    assertThat(store.findByIdempotencyKey(owner, story.request().idempotencyKey().orElseThrow())).contains(story);
  }

  @Test
  void anotherOwnerNeverSeesOrDeletesAStory() {
    String alice = owner();
    String bob = owner();
    Story story = TestStories.withKey(alice, "shared-key");
    store.save(story);
    assertThat(store.find(bob, story.id())).isEmpty();
    assertThat(store.findByIdempotencyKey(bob, "shared-key")).isEmpty();
    assertThat(store.list(bob, Optional.empty(), 100).stories()).isEmpty();
    assertThat(store.export(bob).stories()).isEmpty();
    assertThat(store.delete(bob, story.id())).isFalse();
    assertThat(store.deleteOwner(bob)).isZero();
    assertThat(store.find(alice, story.id())).contains(story);
  }

  @Test
  void sameIdempotencyKeyOfAnotherOwnerIsAnotherStory() {
    Story a = store.save(TestStories.withKey(owner(), "same"));
    Story b = store.save(TestStories.withKey(owner(), "same"));
    assertThat(b.id()).isNotEqualTo(a.id());
  }

  @Test
  void deleteRemovesOnlyThatStory() {
    String owner = owner();
    Story keep = store.save(TestStories.plain(owner, Instant.now()));
    Story gone = store.save(TestStories.plain(owner, Instant.now()));
    assertThat(store.delete(owner, gone.id())).isTrue();
    assertThat(store.delete(owner, gone.id())).isFalse();
    assertThat(store.find(owner, gone.id())).isEmpty();
    assertThat(store.find(owner, keep.id())).contains(keep);
  }

  @Test
  void unknownOrNonUuidIdsAreAbsent() {
    assertThat(store.find(owner(), UUID.randomUUID().toString())).isEmpty();
    assertThat(store.find(owner(), "not-a-uuid")).isEmpty();
    assertThat(store.delete(owner(), "not-a-uuid")).isFalse();
  }

  @Test
  void savingAStoryWithoutOwnerOrWithANonUuidIdIsRejected() {
    Story unowned = TestStories.plain("x", Instant.now());
    Story noOwner = new Story(unowned.id(), Optional.empty(), unowned.title(), unowned.paragraphs(), unowned.request(),
        unowned.model(), unowned.templateVersion(), unowned.usage(), unowned.estimatedCostUsd(), unowned.quality(),
        unowned.safety(), unowned.timings(), unowned.cacheTier(), unowned.attempts(), unowned.createdAt());
    assertThatThrownBy(() -> store.save(noOwner))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a stored story needs an owner");
    Story s = TestStories.plain("x", Instant.now());
    Story badId = new Story("story-1", s.owner(), s.title(), s.paragraphs(), s.request(), s.model(),
        s.templateVersion(), s.usage(), s.estimatedCostUsd(), s.quality(), s.safety(), s.timings(), s.cacheTier(),
        s.attempts(), s.createdAt());
    assertThatThrownBy(() -> store.save(badId))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("story id must be a UUID: 'story-1'");
  }

  @Test
  void savingTheSameIdAgainReplacesTheStoryButAnotherOwnerCannotTakeTheId() {
    String owner = owner();
    Story first = store.save(TestStories.plain(owner, Instant.now()));
    Story retitled = new Story(first.id(), first.owner(), "A New Title", first.paragraphs(), first.request(),
        first.model(), first.templateVersion(), first.usage(), first.estimatedCostUsd(), first.quality(),
        first.safety(), first.timings(), first.cacheTier(), first.attempts(), first.createdAt());
    assertThat(store.save(retitled)).isSameAs(retitled);
    assertThat(store.find(owner, first.id()).orElseThrow().title()).isEqualTo("A New Title");

    String intruder = owner();
    Story stolen = new Story(first.id(), Optional.of(intruder), "Mine now", first.paragraphs(),
        first.request().withOwner(intruder), first.model(), first.templateVersion(), first.usage(),
        first.estimatedCostUsd(), first.quality(), first.safety(), first.timings(), first.cacheTier(),
        first.attempts(), first.createdAt());
    assertThatThrownBy(() -> store.save(stolen))
        .isInstanceOf(StorageException.class).hasMessageContaining("already used by another owner");
    assertThat(store.find(owner, first.id()).orElseThrow().title()).isEqualTo("A New Title");
  }

  @Test
  void textWithNulAndOtherControlCharactersRoundTrips() {
    String owner = owner();
    Story s = TestStories.plain(owner, Instant.now());
    StoryRequest r = s.request().toBuilder().idea("a\u0000b\u0007c").build();
    Story nul = new Story(s.id(), s.owner(), "Title\u0000", List.of("x\u0000y"), r, s.model(), s.templateVersion(),
        s.usage(), s.estimatedCostUsd(), s.quality(), s.safety(), s.timings(), s.cacheTier(), s.attempts(),
        s.createdAt());
    store.save(nul);
    assertThat(store.find(owner, s.id())).contains(nul);
  }

  @Test
  void idempotencyKeyReturnsTheFirstStoryAndWritesNothingElse() {
    String owner = owner();
    Story first = store.save(TestStories.withKey(owner, "retry-1"));
    Story second = store.save(TestStories.withKey(owner, "retry-1"));
    assertThat(second).isEqualTo(first);
    assertThat(store.list(owner, Optional.empty(), 10).stories()).containsExactly(first);
  }

  @Test
  void concurrentDuplicatesOfAnIdempotencyKeyYieldOneStory() throws Exception {
    int threads = 16;
    for (int round = 0; round < 5; round++) {
      String owner = owner();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Story>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Story candidate = TestStories.withKey(owner, "double-click");
          results.add(pool.submit(() -> {
            go.await();
            return store.save(candidate);
          }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<Story> f : results) {
          ids.add(f.get(30, TimeUnit.SECONDS).id());
        }
        assertThat(ids).hasSize(1);
        assertThat(store.list(owner, Optional.empty(), 100).stories()).extracting(Story::id).containsExactlyElementsOf(ids);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void eightThreadsSavingFiveHundredEachLoseAndDuplicateNothing() throws Exception {
    String owner = owner();
    int threads = 8;
    int each = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Set<String> saved = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            saved.add(store.save(TestStories.plain(owner, Instant.now())).id());
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(100, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(saved).hasSize(threads * each);
    assertThat(LocalPostgres.count("SELECT count(*) FROM \"" + schema + "\".story WHERE owner = '" + owner + "'"))
        .isEqualTo(threads * each);
    List<String> listed = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      StoryPage page = store.list(owner, cursor, 100);
      page.stories().forEach(s -> listed.add(s.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
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
      all.add(store.save(TestStories.plain(owner, base.plusSeconds(i / 3))));
    }
    List<Story> expected = all.stream()
        .sorted(java.util.Comparator.comparing(Story::createdAt).reversed()
            .thenComparing(Story::id, java.util.Comparator.reverseOrder()))
        .toList();
    List<Story> walked = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      StoryPage page = store.list(owner, cursor, 5);
      assertThat(page.stories().size()).isLessThanOrEqualTo(5);
      walked.addAll(page.stories());
      cursor = page.nextCursor();
      pages++;
    } while (cursor.isPresent());
    assertThat(pages).isEqualTo(5);
    assertThat(walked).containsExactlyElementsOf(expected);
  }

  @Test
  void lastFullPageHasNoNextCursor() {
    String owner = owner();
    for (int i = 0; i < 4; i++) {
      store.save(TestStories.plain(owner, Instant.now()));
    }
    StoryPage page = store.list(owner, Optional.empty(), 4);
    assertThat(page.stories()).hasSize(4);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void pagesStayStableWhileNewStoriesAreInserted() throws Exception {
    String owner = owner();
    Instant base = Instant.now().minus(1, ChronoUnit.HOURS);
    List<String> original = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      original.add(0, store.save(TestStories.plain(owner, base.plusMillis(i))).id());
    }
    List<String> walked = new ArrayList<>();
    StoryPage first = store.list(owner, Optional.empty(), 7);
    first.stories().forEach(st -> walked.add(st.id()));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger inserted = new AtomicInteger();
    Thread writer = new Thread(() -> {
      while (!stop.get()) {
        store.save(TestStories.plain(owner, Instant.now()));
        inserted.incrementAndGet();
      }
    });
    writer.start();
    try {
      Optional<String> cursor = first.nextCursor();
      while (cursor.isPresent()) {
        int before = inserted.get();
        // Every following page is read after more stories arrived.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inserted.get() > before);
        StoryPage page = store.list(owner, cursor, 7);
        page.stories().forEach(st -> walked.add(st.id()));
        cursor = page.nextCursor();
      }
    } finally {
      stop.set(true);
      writer.join(10_000);
    }
    assertThat(walked).containsExactlyElementsOf(original);
    assertThat(inserted.get()).isGreaterThan(8);
  }

  @Test
  void malformedCursorAndLimitOutOfRangeAreIllegalArguments() {
    assertThatThrownBy(() -> store.list(owner(), Optional.of("bm90LWEtY3Vyc29y"), 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed cursor");
    assertThatThrownBy(() -> store.list(owner(), Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be within 1..100: 0");
    assertThatThrownBy(() -> store.list(owner(), Optional.empty(), 101))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be within 1..100: 101");
  }

  @Test
  void blockedRequestAuditKeepsCategoriesStageAndTimeButNotTheText() {
    String owner = owner();
    Instant at = Instant.parse("2024-06-01T12:00:00.123456Z");
    store.recordBlocked(new BlockedRequest(Optional.of(owner), SafetyStage.INPUT,
        Set.of(SafetyCategory.VIOLENCE, SafetyCategory.PERSONAL_DATA), AgeGroup.AGES_3_5, "space", "default-1", at,
        Optional.of("the child's own words")));
    OwnerExport export = store.export(owner);
    assertThat(export.blockedRequests()).singleElement().satisfies(b -> {
      assertThat(b.owner()).contains(owner);
      assertThat(b.stage()).isEqualTo(SafetyStage.INPUT);
      assertThat(b.categories()).containsExactlyInAnyOrder(SafetyCategory.VIOLENCE, SafetyCategory.PERSONAL_DATA);
      assertThat(b.ageGroup()).isEqualTo(AgeGroup.AGES_3_5);
      assertThat(b.theme()).isEqualTo("space");
      assertThat(b.policyVersion()).isEqualTo("default-1");
      assertThat(b.at()).isEqualTo(at);
      assertThat(b.text()).isEmpty();
    });
    assertThat(LocalPostgres.count("SELECT count(*) FROM \"" + schema + "\".blocked_request WHERE owner = '" + owner
        + "' AND blocked_text IS NULL")).isEqualTo(1);
  }

  @Test
  void exportHoldsStoriesNewestFirstAndAuditRowsAndEraseRemovesBoth() {
    String owner = owner();
    Story older = store.save(TestStories.plain(owner, Instant.parse("2024-01-01T00:00:00Z")));
    Story newer = store.save(TestStories.rich(owner, "k"));
    store.recordBlocked(new BlockedRequest(Optional.of(owner), SafetyStage.OUTPUT, Set.of(SafetyCategory.HATE),
        AgeGroup.AGES_6_8, "forest", "default-1", Instant.now(), Optional.empty()));
    String bystander = owner();
    Story other = store.save(TestStories.plain(bystander, Instant.now()));

    OwnerExport export = store.export(owner);
    assertThat(export.owner()).isEqualTo(owner);
    assertThat(export.stories()).containsExactly(newer, older);
    assertThat(export.blockedRequests()).hasSize(1);

    assertThat(store.deleteOwner(owner)).isEqualTo(2);
    OwnerExport after = store.export(owner);
    assertThat(after.stories()).isEmpty();
    assertThat(after.blockedRequests()).isEmpty();
    assertThat(store.find(bystander, other.id())).contains(other);
  }

  @Test
  void storedDocumentOfAnUnknownFormatVersionIsAClearStorageException() {
    String owner = owner();
    Story s = store.save(TestStories.plain(owner, Instant.now()));
    LocalPostgres.execute("UPDATE \"" + schema + "\".story SET body = replace(body::text, '{\"v\":1,', '{\"v\":9,')::json"
        + " WHERE id = '" + s.id() + "'");
    assertThatThrownBy(() -> store.find(owner, s.id()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("unsupported story format version 9")
        .hasMessageContaining(s.id());
  }

  @Test
  void healthIsUpWhileTheDatabaseAnswers() {
    ComponentHealth health = store.health();
    assertThat(health.status()).isEqualTo(ComponentHealth.Status.UP);
    assertThat(health.detail()).isEqualTo("postgresql");
  }

  @Test
  void listingUsesTheOwnerIndexWithoutSorting() throws Exception {
    try (var c = LocalPostgres.connect(); var st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      var rs = st.executeQuery("EXPLAIN SELECT id, created_at, body FROM \"" + schema + "\".story WHERE owner = 'x'"
          + " AND (created_at, id) < (now(), '" + UUID.randomUUID() + "'::uuid) ORDER BY created_at DESC, id DESC LIMIT 21");
      StringBuilder plan = new StringBuilder();
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
      assertThat(plan.toString()).contains("story_owner_created_id").doesNotContain("Sort");
    }
  }
}
