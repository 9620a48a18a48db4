package dev.storymagic.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.spring.internal.SharedRedis;
import dev.storymagic.store.PostgresStoryStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The store and Redis conditions against the local PostgreSQL 15 (127.0.0.1:5432, trust auth, user
 * postgres, database test; an own schema per test) and Redis 7 (127.0.0.1:6379, an own key prefix).
 */
class StoryMagicStoreAutoConfigurationIT {
  private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private final String schema =
      "sm_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final String prefix =
      "smtest:spring:" + UUID.randomUUID().toString().substring(0, 8) + ":";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  StoryMagicAutoConfiguration.class, StoryMagicHealthAutoConfiguration.class));

  @SuppressWarnings("try") // the connection is opened only to prove that the database is up
  static DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(JDBC_URL);
    ds.setUser("postgres");
    ds.setConnectTimeout(3);
    try (Connection c = ds.getConnection()) {
      return ds;
    } catch (SQLException e) {
      throw new AssertionError(
          "this test needs PostgreSQL 15 on 127.0.0.1:5432 (trust auth, user postgres, database test): "
              + e.getMessage(),
          e);
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "")) {
      c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void theApplicationsDataSourceBecomesThePostgresStoreAndItsHealthCounts() {
    DataSource ds = dataSource();
    runner
        .withBean(DataSource.class, () -> ds)
        .withPropertyValues("storymagic.store.schema=" + schema)
        .run(
            context -> {
              assertThat(context.getBean(StoryStore.class)).isInstanceOf(PostgresStoryStore.class);
              StoryMagic magic = context.getBean(StoryMagic.class);
              Story story =
                  magic.generate(
                      StoryRequest.builder()
                          .theme("space")
                          .ageGroup(AgeGroup.AGES_6_8)
                          .owner("parent-1")
                          .build());
              assertThat(magic.store().orElseThrow().find("parent-1", story.id())).isPresent();
              Health health = context.getBean(StoryMagicHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsKey("store");
            });
  }

  @Test
  void storeTypeNoneIgnoresTheDataSource() {
    DataSource ds = dataSource();
    runner
        .withBean(DataSource.class, () -> ds)
        .withPropertyValues("storymagic.store.type=none")
        .run(context -> assertThat(context).doesNotHaveBean(StoryStore.class));
  }

  @Test
  void redisHostAddsTheSharedCacheTierAndItIsClosedWithTheContext() {
    SharedRedis[] redis = new SharedRedis[1];
    runner
        .withPropertyValues(
            "storymagic.redis.host=127.0.0.1",
            "storymagic.redis.port=6379",
            "storymagic.redis.key-prefix=" + prefix,
            "storymagic.redis.timeout=500ms")
        .run(
            context -> {
              redis[0] = context.getBean(SharedRedis.class);
              assertThat(redis[0].health().status())
                  .as("Redis 7 must run on 127.0.0.1:6379 for this test")
                  .isEqualTo(dev.storymagic.ComponentHealth.Status.UP);
              StoryMagic magic = context.getBean(StoryMagic.class);
              StoryRequest request =
                  StoryRequest.builder()
                      .theme("ocean")
                      .ageGroup(AgeGroup.AGES_3_5)
                      // A fresh story each run, in letters: a UUID's digit runs can read as a
                      // phone or card number to the personal-data check.
                      .idea("a whale who sings " + lettersOnly(UUID.randomUUID()))
                      .build();
              magic.generate(request);
              assertThat(magic.health()).containsKey("cache_l2");
              // a second StoryMagic on the same Redis (another node) is served from the shared tier
              try (StoryMagic other =
                  StoryMagic.builder()
                      .cache(
                          dev.storymagic.spi.StoryCache.tiered(
                              dev.storymagic.spi.CaffeineStoryCache.create(10), redis[0].cache()))
                      .build()) {
                assertThat(other.generate(request).cacheTier()).isEqualTo(CacheTier.L2);
              }
            });
    assertThat(redis[0].health().status()).isEqualTo(dev.storymagic.ComponentHealth.Status.DOWN);
  }

  /** The 32 hex digits of {@code id} as the letters g to v. */
  private static String lettersOnly(UUID id) {
    StringBuilder letters = new StringBuilder(32);
    for (char c : id.toString().replace("-", "").toCharArray()) {
      letters.append((char) ('g' + Character.digit(c, 16)));
    }
    return letters.toString();
  }
}
