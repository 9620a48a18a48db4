package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.testing.SampleStories;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PostgresMigrationsIT {

  @BeforeAll
  static void requirePostgres() {
    LocalPostgres.requireRunning();
  }

  @Test
  void serversStartingTogetherMigrateAFreshSchemaOnce() throws Exception {
    for (int round = 0; round < 4; round++) {
      String schema = LocalPostgres.randomSchema("sm_migrate");
      int servers = 3;
      ExecutorService pool = Executors.newFixedThreadPool(servers);
      List<PostgresStoryStore> stores = new ArrayList<>();
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PostgresStoryStore>> starts = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
          starts.add(
              pool.submit(
                  () -> {
                    go.await();
                    return PostgresStoryStore.create(
                        LocalPostgres.config(schema).maxPoolSize(3).minIdle(0).build());
                  }));
        }
        go.countDown();
        for (Future<PostgresStoryStore> f : starts) {
          stores.add(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(
                LocalPostgres.count(
                    "SELECT count(*) FROM \""
                        + schema
                        + "\".flyway_schema_history"
                        + " WHERE version = '1' AND success"))
            .isEqualTo(1);
        assertThat(
                LocalPostgres.count(
                    "SELECT count(*) FROM \""
                        + schema
                        + "\".flyway_schema_history"
                        + " WHERE NOT success"))
            .isZero();
        // Every store works against the one schema.
        String owner = "migration-owner";
        for (PostgresStoryStore s : stores) {
          s.save(SampleStories.story(owner, Instant.now()));
        }
        assertThat(stores.get(0).list(owner, Optional.empty(), 10).stories()).hasSize(servers);
      } finally {
        pool.shutdownNow();
        stores.forEach(PostgresStoryStore::close);
        LocalPostgres.dropSchema(schema);
      }
    }
  }

  @Test
  void migratingAnUpToDateSchemaAgainChangesNothing() {
    String schema = LocalPostgres.randomSchema("sm_migrate");
    try {
      PostgresStoryStore.create(LocalPostgres.config(schema).build()).close();
      PostgresStoryStore.create(LocalPostgres.config(schema).build()).close();
      assertThat(
              LocalPostgres.count("SELECT count(*) FROM \"" + schema + "\".flyway_schema_history"))
          .isEqualTo(1);
    } finally {
      LocalPostgres.dropSchema(schema);
    }
  }

  @Test
  void storeWithMigrationsOffUsesASchemaMigratedElsewhere() {
    String schema = LocalPostgres.randomSchema("sm_migrate");
    try {
      PostgresStoryStore.create(LocalPostgres.config(schema).build()).close();
      try (PostgresStoryStore store =
          PostgresStoryStore.create(LocalPostgres.config(schema).migrate(false).build())) {
        store.save(SampleStories.story("o", Instant.now()));
        assertThat(store.list("o", Optional.empty(), 5).stories()).hasSize(1);
      }
    } finally {
      LocalPostgres.dropSchema(schema);
    }
  }
}
