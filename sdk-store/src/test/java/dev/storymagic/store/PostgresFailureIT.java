package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.storymagic.ComponentHealth;
import dev.storymagic.StoryMagicException;
import dev.storymagic.testing.SampleStories;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The store fails fast and clearly, never hangs, when PostgreSQL is unreachable or stuck. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresFailureIT {

  @BeforeAll
  static void requirePostgres() {
    LocalPostgres.requireRunning();
  }

  private static int unusedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void creatingAStoreOnAnUnreachableDatabaseFailsWithinTheConnectionTimeout() throws Exception {
    int port = unusedPort();
    PostgresConfig config =
        PostgresConfig.builder()
            .host("127.0.0.1")
            .port(port)
            .database("test")
            .user("postgres")
            .connectionTimeout(Duration.ofSeconds(1))
            .build();
    long start = System.nanoTime();
    assertThatThrownBy(() -> PostgresStoryStore.create(config))
        .isInstanceOf(StoryMagicException.StorageFailure.class)
        .hasMessageContaining("PostgreSQL at 127.0.0.1:" + port + "/test is unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void operationsOnAnUnreachableDatabaseFailWithStorageExceptionNotAHang() throws Exception {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + unusedPort() + "/test");
    h.setUsername("postgres");
    h.setConnectionTimeout(500);
    h.setInitializationFailTimeout(-1);
    try (HikariDataSource ds = new HikariDataSource(h);
        PostgresStoryStore store =
            PostgresStoryStore.create(ds, PostgresConfig.builder().migrate(false).build())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.find("o", java.util.UUID.randomUUID().toString()))
          .isInstanceOf(StoryMagicException.StorageFailure.class)
          .hasMessageContaining("could not find a story");
      assertThatThrownBy(() -> store.save(SampleStories.story("o", Instant.now())))
          .isInstanceOf(StoryMagicException.StorageFailure.class)
          .hasMessageContaining("could not save a story");
      assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aStatementStuckBehindALockIsCancelledAtTheStatementTimeout() throws Exception {
    String schema = LocalPostgres.randomSchema("sm_fail");
    try (PostgresStoryStore store =
        PostgresStoryStore.create(
            LocalPostgres.config(schema).statementTimeout(Duration.ofMillis(800)).build())) {
      try (Connection locker = LocalPostgres.connect();
          Statement st = locker.createStatement()) {
        locker.setAutoCommit(false);
        st.execute("LOCK TABLE \"" + schema + "\".story IN ACCESS EXCLUSIVE MODE");
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.list("o", Optional.empty(), 10))
            .isInstanceOf(StoryMagicException.StorageFailure.class)
            .hasMessageContaining("could not list stories")
            .hasMessageContaining("57014");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        locker.rollback();
      }
      assertThat(store.list("o", Optional.empty(), 10).stories()).isEmpty();
    } finally {
      LocalPostgres.dropSchema(schema);
    }
  }

  @Test
  void aClosedStoreRefusesWork() {
    String schema = LocalPostgres.randomSchema("sm_fail");
    try {
      PostgresStoryStore store = PostgresStoryStore.create(LocalPostgres.config(schema).build());
      store.close();
      store.close();
      assertThatThrownBy(() -> store.find("o", java.util.UUID.randomUUID().toString()))
          .isInstanceOf(StoryMagicException.StorageFailure.class)
          .hasMessage("PostgreSQL story store is closed; could not find a story");
      assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
    } finally {
      LocalPostgres.dropSchema(schema);
    }
  }

  @Test
  void aDataSourceStoreRejectsSettingsThatNameAConnection() {
    assertThatThrownBy(
            () ->
                PostgresStoryStore.create(
                    new HikariDataSource(), PostgresConfig.builder().host("elsewhere").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not name a connection");
  }
}
