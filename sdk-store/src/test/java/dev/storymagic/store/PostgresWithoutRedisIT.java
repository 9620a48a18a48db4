package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.testing.SampleStories;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application that uses only the PostgreSQL half of {@code storymagic-store}: it declares the
 * driver, HikariCP, Jdbi and Flyway, and not Jedis. Failsafe runs this class alone in the {@code
 * postgres-only} execution with Jedis removed from the class path (see the module's pom.xml).
 */
class PostgresWithoutRedisIT {
  private String schema;

  @BeforeEach
  void createSchemaName() {
    LocalPostgres.requireRunning();
    schema = LocalPostgres.randomSchema("isolation");
  }

  @AfterEach
  void dropSchema() {
    LocalPostgres.dropSchema(schema);
  }

  @Test
  void theClassPathHoldsNoRedisClient() {
    assertThatThrownBy(() -> Class.forName("redis.clients.jedis.UnifiedJedis"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void storiesAreKeptInPostgres() {
    String owner = "isolation-" + UUID.randomUUID();
    try (PostgresStoryStore store =
            PostgresStoryStore.create(LocalPostgres.config(schema).build());
        StoryMagic magic = StoryMagic.builder().store(store).build()) {
      Story story = magic.generate(SampleStories.request().toBuilder().owner(owner).build());

      assertThat(store.find(owner, story.id())).map(Story::title).contains(story.title());
    }
  }
}
