package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.Story;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.testing.Eventually;
import dev.storymagic.testing.SampleStories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link StoryCache} does: hits return what was put, misses and invalidated keys are
 * empty, keys never mix, entries go after their time to live, and concurrent use loses nothing. An
 * implementation's test extends this class and supplies the cache and a way to let time pass. Keys
 * are random, so caches may share a backend.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StoryCacheContract {
  /** The time to live the contract's caches are made with. */
  protected static final Duration TTL = Duration.ofSeconds(2);

  private StoryCache cache;

  /** A cache whose entries live for {@code ttl}. */
  protected abstract StoryCache newCache(Duration ttl);

  /**
   * Moves the cache's clock on by {@code duration}. A cache on a fake clock advances it; a cache
   * whose backend keeps its own time does nothing here, and the contract waits for real time.
   */
  protected abstract void letTimePass(Duration duration);

  @BeforeEach
  void createCache() {
    cache = newCache(TTL);
  }

  protected static String key() {
    return UUID.randomUUID().toString().replace("-", "")
        + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void unknownKeyIsAMiss() {
    assertThat(cache.get(key())).isEmpty();
  }

  @Test
  void storedStoryReadsBackEqual() {
    String key = key();
    Story story = SampleStories.story("alice");
    cache.put(key, story);
    assertThat(cache.get(key)).contains(story);
  }

  @Test
  void putReplacesTheEntry() {
    String key = key();
    cache.put(key, SampleStories.story("alice"));
    Story second = SampleStories.story("alice");
    cache.put(key, second);
    assertThat(cache.get(key)).contains(second);
  }

  @Test
  void keysNeverMix() {
    String a = key();
    String b = key();
    Story storyA = SampleStories.story("alice");
    Story storyB = SampleStories.story("bob");
    cache.put(a, storyA);
    cache.put(b, storyB);
    assertThat(cache.get(a)).contains(storyA);
    assertThat(cache.get(b)).contains(storyB);
  }

  @Test
  void invalidateRemovesOnlyThatEntryAndAnUnknownKeyIsNoError() {
    String gone = key();
    String kept = key();
    Story story = SampleStories.story("alice");
    cache.put(gone, story);
    cache.put(kept, story);
    cache.invalidate(gone);
    cache.invalidate(key());
    assertThat(cache.get(gone)).isEmpty();
    assertThat(cache.get(kept)).contains(story);
  }

  @Test
  void entryExpiresAfterItsTimeToLive() {
    String key = key();
    Story story = SampleStories.story("alice");
    cache.put(key, story);
    assertThat(cache.get(key)).contains(story);
    Eventually.holds(
        TTL.multipliedBy(5),
        () -> letTimePass(TTL.plusMillis(1)),
        () -> cache.get(key).isEmpty(),
        "the entry expires after " + TTL);
  }

  @Test
  void entryOutlivesTimeShorterThanItsTimeToLive() {
    String key = key();
    Story story = SampleStories.story("alice");
    cache.put(key, story);
    letTimePass(TTL.dividedBy(2));
    assertThat(cache.get(key)).contains(story);
  }

  @Test
  void tierIsNamedAndTiersHoldTheCache() {
    assertThat(cache.tier()).isNotNull();
    assertThat(cache.tiers()).isNotEmpty();
    assertThat(cache.health()).isNotNull();
  }

  @Test
  void concurrentWritersAndReadersEachSeeTheirOwnStory() throws Exception {
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> hits = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "owner-" + t;
        hits.add(
            pool.submit(
                () -> {
                  go.await();
                  int found = 0;
                  for (int i = 0; i < each; i++) {
                    String key = key();
                    Story story = SampleStories.story(owner);
                    cache.put(key, story);
                    if (cache.get(key).filter(story::equals).isPresent()) {
                      found++;
                    }
                  }
                  return found;
                }));
      }
      go.countDown();
      for (Future<Integer> f : hits) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(each);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
