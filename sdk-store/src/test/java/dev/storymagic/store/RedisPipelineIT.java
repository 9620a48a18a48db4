package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StoryMagic instances on Redis: shared cache, cross-node single-flight, outages, rate limits. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisPipelineIT {
  private LocalRedis redis;

  @BeforeEach
  void start() {
    redis = new LocalRedis();
  }

  @AfterEach
  void stop() {
    redis.close();
  }

  private static StoryRequest request() {
    // A distinct idea per test keeps the cache key apart from other runs.
    return SampleStories.request().toBuilder()
        .idea("a kite named " + SampleStories.uniqueTag())
        .build();
  }

  private static double cacheCount(SimpleMeterRegistry registry, String tier, String result) {
    Counter c =
        registry.find("story_cache_requests").tags("tier", tier, "result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void twoServersAskedForTheSameStoryAtOnceMakeOneModelCall() throws Exception {
    ScriptedStoryModel model = ScriptedStoryModel.safe().holdUntilReleased();
    SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
    SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
    // Each "server" has its own Redis client, L1 cache and StoryMagic; only Redis is shared.
    RedisConfig config = redis.config().timeout(Duration.ofSeconds(1)).build();
    try (RedisPlugin redisA = RedisPlugin.create(config);
        RedisPlugin redisB = RedisPlugin.create(config);
        StoryMagic serverA =
            StoryMagic.builder().model(model).install(redisA).meterRegistry(metricsA).build();
        StoryMagic serverB =
            StoryMagic.builder().model(model).install(redisB).meterRegistry(metricsB).build()) {
      StoryRequest request = request();
      CompletableFuture<Story> a = serverA.generateAsync(request);
      assertThat(model.awaitFirstCall(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Story> b = serverB.generateAsync(request);
      // B missed L1 and L2, found the lock taken and is polling L2 for A's story.
      await().atMost(Duration.ofSeconds(10)).until(() -> cacheCount(metricsB, "l2", "miss") >= 2);
      assertThat(b).isNotDone();
      model.release();

      Story fromA = a.get(20, TimeUnit.SECONDS);
      Story fromB = b.get(20, TimeUnit.SECONDS);
      assertThat(model.calls()).isEqualTo(1);
      assertThat(fromB.paragraphs()).isEqualTo(fromA.paragraphs());
      assertThat(fromB.title()).isEqualTo(fromA.title());
      assertThat(fromB.id()).isNotEqualTo(fromA.id());
      assertThat(cacheCount(metricsB, "l2", "hit")).isEqualTo(1);

      // B promoted the story to its own L1.
      assertThat(serverB.generate(request).cacheTier()).isEqualTo(CacheTier.L1);
      assertThat(model.calls()).isEqualTo(1);
    }
  }

  @Test
  void aThirdServerIsServedFromRedis() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    RedisConfig config = redis.config().timeout(Duration.ofSeconds(1)).build();
    try (RedisPlugin redisA = RedisPlugin.create(config);
        RedisPlugin redisC = RedisPlugin.create(config);
        StoryMagic serverA = StoryMagic.builder().model(model).install(redisA).build();
        StoryMagic serverC = StoryMagic.builder().model(model).install(redisC).build()) {
      StoryRequest request = request();
      Story first = serverA.generate(request);
      Story again = serverC.generate(request);
      assertThat(again.cacheTier()).isEqualTo(CacheTier.L2);
      assertThat(again.paragraphs()).isEqualTo(first.paragraphs());
      assertThat(model.calls()).isEqualTo(1);
    }
  }

  @Test
  void withRedisUnreachableStoriesAreStillGeneratedAndServedFromL1() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    RedisConfig down = redis.unreachableConfig().rateLimit(RateLimit.perMinute(1, 1)).build();
    try (RedisPlugin plugin = RedisPlugin.create(down);
        StoryMagic magic = StoryMagic.builder().model(model).install(plugin).build()) {
      StoryRequest request = request().withOwner("someone");
      long start = System.nanoTime();
      Story first = magic.generate(request);
      Story second = magic.generate(request);
      assertThat(first.cacheTier()).isEqualTo(CacheTier.NONE);
      assertThat(second.cacheTier()).isEqualTo(CacheTier.L1);
      assertThat(model.calls()).isEqualTo(1);
      // Neither the lock nor the limiter (1 a minute, but unreachable) held anything up.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aSlowRedisDuringARequestIsAMissAndThePipelineGoesOn() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    try (RedisPlugin plugin = RedisPlugin.create(redis.config().build());
        StoryMagic magic = StoryMagic.builder().model(model).install(plugin).build()) {
      redis.pauseAll(Duration.ofMillis(400));
      Story story = magic.generate(request());
      assertThat(story.cacheTier()).isEqualTo(CacheTier.NONE);
      assertThat(model.calls()).isEqualTo(1);
    }
  }

  @Test
  void theSharedRateLimiterRejectsAnOwnerOverTheLimitOnEveryServer() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    RedisConfig config =
        redis.config().timeout(Duration.ofSeconds(1)).rateLimit(RateLimit.perMinute(2, 2)).build();
    try (RedisPlugin redisA = RedisPlugin.create(config);
        RedisPlugin redisB = RedisPlugin.create(config);
        StoryMagic serverA = StoryMagic.builder().model(model).install(redisA).build();
        StoryMagic serverB = StoryMagic.builder().model(model).install(redisB).build()) {
      String owner = "owner-" + UUID.randomUUID();
      serverA.generate(request().withOwner(owner));
      serverB.generate(request().withOwner(owner));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> serverA.generate(request().withOwner(owner)))
          .isInstanceOf(StoryMagicException.RateLimited.class)
          .hasMessageStartingWith("too many story requests; try again in ")
          .satisfies(
              e -> assertThat(((StoryMagicException.RateLimited) e).retryAfter()).isPositive());
    }
  }
}
