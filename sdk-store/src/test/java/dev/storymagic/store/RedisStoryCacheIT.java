package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.storymagic.CacheTier;
import dev.storymagic.ComponentHealth;
import dev.storymagic.Story;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.contract.StoryCacheContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisStoryCacheIT extends StoryCacheContract {
  @RegisterExtension static final LocalRedis redis = new LocalRedis();
  private static RedisPlugin plugin;
  private static RedisStoryCache cache;

  /** A generous timeout: the contract is about what the cache keeps, not about outages. */
  @Override
  protected StoryCache newCache(Duration ttl) {
    return redis.plugin(redis.config().ttl(ttl).timeout(Duration.ofSeconds(2)).build()).cache();
  }

  /** Redis keeps its own clock: the contract waits for real time. */
  @Override
  protected void letTimePass(Duration duration) {}

  @BeforeAll
  static void start() {
    plugin = redis.plugin(redis.config().ttl(Duration.ofMinutes(10)).build());
    cache = plugin.cache();
  }

  private static String redisKey() {
    return java.util.UUID.randomUUID().toString().replace("-", "");
  }

  /** Reads may time out on a busy machine with the 50 ms default; a real miss stays a miss. */
  private static Optional<Story> eventually(String key) {
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(key).isPresent());
    return cache.get(key);
  }

  @Test
  void storedStoryReadsBackWithEveryField() {
    String key = redisKey();
    Story story = TestStories.rich("someone", "k");
    cache.put(key, story);
    assertThat(eventually(key)).contains(story);
    assertThat(cache.tier()).isEqualTo(CacheTier.L2);
  }

  @Test
  void entryLivesUnderTheKeyPrefixWithTheConfiguredTtl() {
    String key = redisKey();
    cache.put(key, SampleStories.story("a"));
    eventually(key);
    long pttl = redis.admin.pttl(redis.prefix + "story:" + key);
    assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
  }

  @Test
  void largeStoriesAreStoredDeflatedBehindAVersionedHeader() {
    String key = redisKey();
    Story story = TestStories.rich("a", "k");
    cache.put(key, story);
    eventually(key);
    byte[] raw = redis.admin.get((redis.prefix + "story:" + key).getBytes(StandardCharsets.UTF_8));
    assertThat(raw[0]).isEqualTo((byte) 1);
    assertThat(raw[1]).isEqualTo((byte) 1);
    assertThat(raw.length)
        .isLessThan(dev.storymagic.store.internal.StoryCodec.toBytes(story).length);
  }

  @Test
  void storyLargerThanTheEntryLimitIsNotCached() {
    try (RedisPlugin small =
        RedisPlugin.create(
            redis.config().maxEntryBytes(1024).timeout(Duration.ofSeconds(1)).build())) {
      Random random = new Random(7);
      StringBuilder noise = new StringBuilder();
      for (int i = 0; i < 4000; i++) {
        noise.append((char) ('a' + random.nextInt(26)));
      }
      Story big =
          TestStories.rich(
              SampleStories.request().withOwner("a"), "Noise", List.of(noise.toString()));
      String key = redisKey();
      small.cache().put(key, big);
      assertThat(small.cache().oversizedSkipped()).isEqualTo(1);
      assertThat(redis.admin.exists(redis.prefix + "story:" + key)).isFalse();
      small.cache().put(key, SampleStories.story("a"));
      assertThat(small.cache().get(key)).isPresent();
    }
  }

  @Test
  void entriesOfAnotherVersionOrDamagedAreMisses() {
    String plainOtherFormat = "{\"v\":2,\"id\":\"x\"}";
    byte[] otherFormat = new byte[plainOtherFormat.length() + 2];
    otherFormat[0] = 1;
    otherFormat[1] = 0;
    System.arraycopy(
        plainOtherFormat.getBytes(StandardCharsets.UTF_8),
        0,
        otherFormat,
        2,
        plainOtherFormat.length());
    byte[][] unreadable = {
      otherFormat,
      {9, 0, '{', '}'},
      {1, 7, 1, 2, 3},
      {1, 1, 5, 5, 5, 5},
      "garbage".getBytes(StandardCharsets.UTF_8),
      {1}
    };
    for (byte[] value : unreadable) {
      String key = redisKey();
      redis.admin.set((redis.prefix + "story:" + key).getBytes(StandardCharsets.UTF_8), value);
      assertThat(cache.get(key)).isEmpty();
    }
  }

  @Test
  void pausedRedisIsAMissWithinTheTimeoutAndTheCacheRecoversByItself() {
    String key = redisKey();
    Story story = SampleStories.story("a", Instant.now());
    cache.put(key, story);
    eventually(key);

    redis.pauseAll(Duration.ofMillis(400));
    // The entry is there: only the 50 ms read timeout, firing before the 400 ms pause ends, makes
    // this a miss.
    assertThat(cache.get(key)).isEmpty();
    cache.put(redisKey(), story);

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cache.get(key).isPresent());
    assertThat(cache.get(key)).contains(story);
    assertThat(plugin.health().status()).isEqualTo(ComponentHealth.Status.UP);
  }

  @Test
  void unreachableRedisIsAMissNotAnError() {
    try (RedisPlugin down = RedisPlugin.create(redis.unreachableConfig().build())) {
      assertThat(down.cache().get("k")).isEmpty();
      down.cache().put("k", SampleStories.story("a"));
      down.cache().invalidate("k");
      ComponentHealth health = down.health();
      assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
      assertThat(health.detail()).contains("unreachable");
    }
  }

  @Test
  void healthAnswersPing() {
    assertThat(plugin.health())
        .isEqualTo(ComponentHealth.up("redis " + LocalRedis.HOST + ":" + LocalRedis.PORT));
  }
}
