package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.ComponentHealth;
import dev.storymagic.SafetyCategory;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.contract.StoryStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
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
  void storyUsingEveryFieldRoundTripsThroughEveryQuery() {
    String owner = owner();
    Story story = store.save(TestStories.rich(owner, "k-" + UUID.randomUUID()));
    assertThat(store.find(owner, story.id())).contains(story);
    assertThat(store.findByIdempotencyKey(owner, story.request().idempotencyKey().orElseThrow()))
        .contains(story);
    assertThat(store.list(owner, Optional.empty(), 1).stories()).containsExactly(story);
    assertThat(store.export(owner).stories()).containsExactly(story);
  }

  @Test
  void savingAStoryWithANonUuidIdIsRejected() {
    Story s = SampleStories.story("x");
    Story badId = s.deliveredAs("story-1", s.request(), s.cacheTier(), s.timings(), s.createdAt());
    assertThatThrownBy(() -> store.save(badId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("story id must be a UUID: 'story-1'");
  }

  @Test
  void anotherOwnerCannotTakeAnId() {
    String owner = owner();
    Story first = store.save(SampleStories.story(owner));
    String intruder = owner();
    Story stolen =
        SampleStories.retitled(
            first.deliveredAs(
                first.id(),
                first.request().withOwner(intruder),
                first.cacheTier(),
                first.timings(),
                first.createdAt()),
            "Mine now");
    assertThatThrownBy(() -> store.save(stolen))
        .isInstanceOf(StoryMagicException.StorageFailure.class)
        .hasMessageContaining("already used by another owner");
    assertThat(store.find(owner, first.id())).contains(first);
    assertThat(store.find(intruder, first.id())).isEmpty();
  }

  @Test
  void textWithNulAndOtherControlCharactersRoundTrips() {
    String owner = owner();
    StoryRequest request =
        SampleStories.request().toBuilder().owner(owner).idea("a\u0000b\u0007c").build();
    Story nul = TestStories.rich(request, "Title\u0000", List.of("x\u0000y"));
    store.save(nul);
    assertThat(store.find(owner, nul.id())).contains(nul);
  }

  /**
   * The contract's concurrent saves at volume: 4,000 saves from eight threads through the pool of
   * 12 connections each leave exactly one row.
   */
  @Test
  void fourThousandConcurrentSavesAreFourThousandRows() throws Exception {
    String owner = owner();
    int saves = 4_000;
    List<Callable<String>> tasks =
        Collections.nCopies(saves, () -> store.save(SampleStories.story(owner)).id());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<String> saved = new HashSet<>();
    try {
      for (Future<String> f : pool.invokeAll(tasks, 100, TimeUnit.SECONDS)) {
        saved.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(saved).hasSize(saves);
    assertThat(
            LocalPostgres.count(
                "SELECT count(*) FROM \"" + schema + "\".story WHERE owner = '" + owner + "'"))
        .isEqualTo(saves);
    assertThat(store.export(owner).stories())
        .extracting(Story::id)
        .containsExactlyInAnyOrderElementsOf(saved);
  }

  @Test
  void pagesStayStableWhileNewStoriesAreInserted() throws Exception {
    String owner = owner();
    Instant base = Instant.now().minus(1, ChronoUnit.HOURS);
    List<String> original = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      original.add(0, store.save(SampleStories.story(owner, base.plusMillis(i))).id());
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
                store.save(SampleStories.story(owner));
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
  void blockedRequestAuditLeavesOutTheTextUnlessAuditTextIsOn() {
    BlockedRequest withText = blockedWithText(owner());
    store.recordBlocked(withText);
    String owner = withText.owner().orElseThrow();
    assertThat(store.export(owner).blockedRequests())
        .containsExactly(
            new BlockedRequest(
                withText.owner(),
                withText.stage(),
                withText.categories(),
                withText.ageGroup(),
                withText.theme(),
                withText.policyVersion(),
                withText.at(),
                Optional.empty()));
    assertThat(
            LocalPostgres.count(
                "SELECT count(*) FROM \""
                    + schema
                    + "\".blocked_request WHERE owner = '"
                    + owner
                    + "' AND blocked_text IS NULL"))
        .isEqualTo(1);

    try (PostgresStoryStore auditing =
        PostgresStoryStore.create(
            LocalPostgres.config(schema).auditText(true).maxPoolSize(2).build())) {
      BlockedRequest kept = blockedWithText(owner());
      auditing.recordBlocked(kept);
      assertThat(auditing.export(kept.owner().orElseThrow()).blockedRequests())
          .containsExactly(kept);
    }
  }

  private static BlockedRequest blockedWithText(String owner) {
    return new BlockedRequest(
        Optional.of(owner),
        SafetyStage.INPUT,
        Set.of(SafetyCategory.PERSONAL_DATA),
        AgeGroup.AGES_3_5,
        "space",
        "default-1",
        Instant.parse("2024-06-01T12:00:00.123456Z"),
        Optional.of("the child's own words"));
  }

  @Test
  void storedDocumentOfAnUnknownFormatVersionIsAClearStorageException() {
    String owner = owner();
    Story s = store.save(SampleStories.story(owner));
    LocalPostgres.execute(
        "UPDATE \""
            + schema
            + "\".story SET body = replace(body::text, '{\"v\":1,', '{\"v\":9,')::json"
            + " WHERE id = '"
            + s.id()
            + "'");
    assertThatThrownBy(() -> store.find(owner, s.id()))
        .isInstanceOf(StoryMagicException.StorageFailure.class)
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
