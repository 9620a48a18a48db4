package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.testing.SampleStories;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application that uses only the Redis half of {@code storymagic-store}: it declares Jedis and
 * nothing of PostgreSQL. Failsafe runs this class alone in the {@code redis-only} execution, with
 * the PostgreSQL driver, Flyway, HikariCP, Jdbi and the AWS SDK removed from the class path (see
 * the module's pom.xml), which is how such an application's class path looks.
 */
class RedisWithoutPostgresIT {
  /**
   * One class of each library the PostgreSQL half needs (and the AWS SDK, needed only for secrets).
   */
  private static final List<String> POSTGRES_CLASSES =
      List.of(
          "org.postgresql.Driver",
          "org.flywaydb.core.Flyway",
          "com.zaxxer.hikari.HikariDataSource",
          "org.jdbi.v3.core.Jdbi",
          "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient");

  @Test
  void theClassPathHoldsNoPostgresLibrary() {
    for (String absent : POSTGRES_CLASSES) {
      assertThatThrownBy(() -> Class.forName(absent))
          .as(absent)
          .isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void twoInstancesShareStoriesThroughRedis() {
    try (LocalRedis redis = new LocalRedis();
        RedisPlugin pluginA = RedisPlugin.create(redis.config().build());
        RedisPlugin pluginB = RedisPlugin.create(redis.config().build());
        StoryMagic a = StoryMagic.builder().install(pluginA).build();
        StoryMagic b = StoryMagic.builder().install(pluginB).build()) {
      StoryRequest request =
          SampleStories.request().toBuilder()
              .idea("a lantern named " + SampleStories.uniqueTag())
              .build();
      Story first = a.generate(request);
      Story second = b.generate(request);

      assertThat(first.cacheTier()).isEqualTo(CacheTier.NONE);
      assertThat(second.cacheTier()).isEqualTo(CacheTier.L2);
      assertThat(second.paragraphs()).isEqualTo(first.paragraphs());
      redis.deleteKeys();
    }
  }
}
