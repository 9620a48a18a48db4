package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import dev.storymagic.store.example.PostgresAndRedis;
import dev.storymagic.testing.SampleStories;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Runs the README's example against the local PostgreSQL and Redis. */
class ReadmeExampleIT {

  @Test
  void theExampleStoresTheStoryAndCachesItInRedis() {
    LocalPostgres.requireRunning();
    String schema = LocalPostgres.randomSchema("readme");
    try (LocalRedis redis = new LocalRedis()) {
      StoryRequest request =
          SampleStories.request().toBuilder().owner("reader-" + UUID.randomUUID()).build();

      Story stored =
          PostgresAndRedis.generate(
              LocalPostgres.config(schema).build(), redis.config().build(), request);

      assertThat(stored.title()).isNotBlank();
      assertThat(LocalPostgres.count("SELECT count(*) FROM \"" + schema + "\".story")).isEqualTo(1);
      assertThat(redis.deleteKeys()).as("the story's cache entry in Redis").isPositive();
    } finally {
      LocalPostgres.dropSchema(schema);
    }
  }
}
