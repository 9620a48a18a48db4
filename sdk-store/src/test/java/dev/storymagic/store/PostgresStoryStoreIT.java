package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.ComponentHealth;
import dev.storymagic.SafetyCategory;
import dev.storymagic.StorageException;
import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.OwnerExport;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.contract.StoryStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
class PostgresStoryStoreIT extends StoryStoreContract {
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

  @Override
  protected StoryStore store() {
    return store;
  }

  @Test
  void storyUsingEveryFieldRoundTrips() {
    String owner = owner();
    Story story = TestStories.rich(owner, "k-" + UUID.randomUUID());
    assertThat(store.save(story)).isSameAs(story);
    assertThat(store.find(owner, story.id())).contains(story);
    assertThat(store.findByIdempotencyKey(owner, story.request().idempotencyKey().orElseThrow()))
        .contains(story);
  }

  @Test
  void savingAStoryWithANonUuidIdIsRejected() {
    Story s = TestStories.plain("x", Instant.now());
    Story badId =
        new Story(
            "story-1",
            s.owner(),
            s.title(),
            s.paragraphs(),
            s.request(),
            s.model(),
            s.templateVersion(),
            s.usage(),
            s.estimatedCostUsd(),
            s.quality(),
            s.safety(),
            s.timings(),
            s.cacheTier(),
            s.attempts(),
            s.createdAt());
    assertThatThrownBy(() -> store.save(badId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("story id must be a UUID: 'story-1'");
  }

  @Test
  void anotherOwnerCannotTakeAnId() {
    String owner = owner();
    Story first = store.save(TestStories.plain(owner, Instant.now()));
    String intruder = owner();
    Story stolen =
        new Story(
            first.id(),
            Optional.of(intruder),
            "Mine now",
            first.paragraphs(),
            first.request().withOwner(intruder),
            first.model(),
            first.templateVersion(),
            first.usage(),
            first.estimatedCostUsd(),
            first.quality(),
            first.safety(),
            first.timings(),
            first.cacheTier(),
            first.attempts(),
            first.createdAt());
    assertThatThrownBy(() -> store.save(stolen))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("already used by another owner");
    assertThat(store.find(owner, first.id())).contains(first);
    assertThat(store.find(intruder, first.id())).isEmpty();
  }

  @Test
  void textWithNulAndOtherControlCharactersRoundTrips() {
    String owner = owner();
    Story s = TestStories.plain(owner, Instant.now());
    StoryRequest r = s.request().toBuilder().idea("a\u0000b\u0007c").build();
    Story nul =
        new Story(
            s.id(),
            s.owner(),
            "Title\u0000",
            List.of("x\u0000y"),
            r,
            s.model(),
            s.templateVersion(),
            s.usage(),
            s.estimatedCostUsd(),
            s.quality(),
            s.safety(),
            s.timings(),
            s.cacheTier(),
            s.attempts(),
            s.createdAt());
    store.save(nul);
    assertThat(store.find(owner, s.id())).contains(nul);
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
        futures.add(
            pool.submit(
                () -> {
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
    assertThat(
            LocalPostgres.count(
                "SELECT count(*) FROM \"" + schema + "\".story WHERE owner = '" + owner + "'"))
        .isEqualTo((long) threads * each);
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
    Thread writer =
        new Thread(
            () -> {
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
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> inserted.get() > before);
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
  void blockedRequestAuditKeepsCategoriesStageAndTimeButNotTheText() {
    String owner = owner();
    Instant at = Instant.parse("2024-06-01T12:00:00.123456Z");
    store.recordBlocked(
        new BlockedRequest(
            Optional.of(owner),
            SafetyStage.INPUT,
            Set.of(SafetyCategory.VIOLENCE, SafetyCategory.PERSONAL_DATA),
            AgeGroup.AGES_3_5,
            "space",
            "default-1",
            at,
            Optional.of("the child's own words")));
    OwnerExport export = store.export(owner);
    assertThat(export.blockedRequests())
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
    assertThat(
            LocalPostgres.count(
                "SELECT count(*) FROM \""
                    + schema
                    + "\".blocked_request WHERE owner = '"
                    + owner
                    + "' AND blocked_text IS NULL"))
        .isEqualTo(1);
  }

  @Test
  void storedDocumentOfAnUnknownFormatVersionIsAClearStorageException() {
    String owner = owner();
    Story s = store.save(TestStories.plain(owner, Instant.now()));
    LocalPostgres.execute(
        "UPDATE \""
            + schema
            + "\".story SET body = replace(body::text, '{\"v\":1,', '{\"v\":9,')::json"
            + " WHERE id = '"
            + s.id()
            + "'");
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
    try (var c = LocalPostgres.connect();
        var st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      var rs =
          st.executeQuery(
              "EXPLAIN SELECT id, created_at, body FROM \""
                  + schema
                  + "\".story WHERE owner = 'x'"
                  + " AND (created_at, id) < (now(), '"
                  + UUID.randomUUID()
                  + "'::uuid) ORDER BY created_at DESC, id DESC LIMIT 21");
      StringBuilder plan = new StringBuilder();
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
      assertThat(plan.toString()).contains("story_owner_created_id").doesNotContain("Sort");
    }
  }
}
