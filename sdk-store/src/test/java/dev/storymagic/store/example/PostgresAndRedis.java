package dev.storymagic.store.example;

import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.store.PostgresConfig;
import dev.storymagic.store.PostgresStoryStore;
import dev.storymagic.store.RedisConfig;
import dev.storymagic.store.RedisPlugin;

/**
 * The module README's example, compiled by the build and run by ReadmeExampleIT against local
 * services.
 */
public final class PostgresAndRedis {
  private PostgresAndRedis() {}

  public static Story generate(PostgresConfig database, RedisConfig redis, StoryRequest request) {
    try (PostgresStoryStore store = PostgresStoryStore.create(database); // migrates its schema
        RedisPlugin shared = RedisPlugin.create(redis); // L2 cache, lock, rate limit
        StoryMagic magic = StoryMagic.builder().store(store).install(shared).build()) {
      Story story = magic.generate(request); // saved under request.owner()
      return store.find(request.owner().orElseThrow(), story.id()).orElseThrow();
    }
  }

  public static void main(String[] args) {
    PostgresConfig database =
        PostgresConfig.custom()
            .host(System.getenv("DATABASE_HOST"))
            .user(System.getenv("DATABASE_USER"))
            .password(System.getenv("DATABASE_PASSWORD"))
            .build();
    RedisConfig redis = RedisConfig.custom().host(System.getenv("REDIS_HOST")).build();
    StoryRequest request = StoryRequest.builder().theme("space").owner("reader-1").build();
    System.out.println(generate(database, redis, request).title());
  }
}
