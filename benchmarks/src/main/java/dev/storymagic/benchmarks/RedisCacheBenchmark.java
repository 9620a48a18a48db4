package dev.storymagic.benchmarks;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.store.RedisConfig;
import dev.storymagic.store.RedisPlugin;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis paths through {@link StoryMagic#generate}, against the local Redis (127.0.0.1:6379),
 * with the offline engine and the default safety filter:
 *
 * <ul>
 *   <li>{@code l2Hit}: a StoryMagic whose only cache tier is {@link RedisPlugin#cache()}, asked for
 *       a story stored in setup: every call reads and decodes the story from Redis;
 *   <li>{@code fullMiss}: StoryMagic with the whole {@link RedisPlugin} (Caffeine L1, Redis L2 and
 *       the cross-node generation lock), asked for a new story each call: both tiers miss, the lock
 *       is taken, the story is generated and written to both tiers;
 *   <li>{@code rawGet}: the baseline, a bare Jedis {@code GET} of the same stored entry.
 * </ul>
 *
 * Keys live under a random prefix, deleted in teardown; fails at once if Redis is down.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RedisCacheBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisCacheBenchmark {
  private String prefix;
  private RedisPlugin plugin;
  private CountingModel l2Model;
  private StoryMagic l2Only;
  private StoryMagic tiered;
  private RedisClient raw;
  private byte[] storedKey;
  private StoryRequest request;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong l2Calls = new AtomicLong();

  @Setup
  public void setUp() {
    LocalServices.requireRedis("RedisCacheBenchmark");
    prefix = LocalServices.uniqueName("bench") + ":";
    plugin =
        RedisPlugin.create(
            RedisConfig.builder()
                .host(LocalServices.REDIS_HOST)
                .port(LocalServices.REDIS_PORT)
                .keyPrefix(prefix)
                .build());
    raw =
        RedisClient.builder()
            .hostAndPort(LocalServices.REDIS_HOST, LocalServices.REDIS_PORT)
            .build();
    l2Model = new CountingModel(OfflineStoryModel.create());
    l2Only = StoryMagic.builder().model(l2Model).cache(plugin.cache()).build();
    tiered = StoryMagic.builder().install(plugin).build();

    request = Requests.typical();
    l2Only.generate(request);
    Story hit = l2Only.generate(request);
    if (hit.cacheTier() != CacheTier.L2) {
      throw new IllegalStateException("expected an L2 hit from Redis, got " + hit.cacheTier());
    }
    List<String> keys = keys();
    if (keys.size() != 1) {
      throw new IllegalStateException("expected one key under " + prefix + ", found " + keys);
    }
    storedKey = keys.get(0).getBytes(StandardCharsets.UTF_8);
  }

  @Setup(Level.Iteration)
  public void resetCounts() {
    l2Model.reset();
    l2Calls.set(0);
  }

  @TearDown(Level.Iteration)
  public void reportMisses() {
    long generated = l2Model.calls();
    if (generated > 0) {
      System.out.printf(
          "%n  warning: %d of %d l2Hit calls missed Redis (timed out?) and generated%n",
          generated, l2Calls.get());
    }
  }

  @TearDown
  public void tearDown() {
    try {
      l2Only.close();
      tiered.close();
      for (String key : keys()) {
        raw.del(key);
      }
    } finally {
      plugin.close();
      raw.close();
    }
  }

  private List<String> keys() {
    List<String> keys = new java.util.ArrayList<>();
    ScanParams match = new ScanParams().match(prefix + "*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = raw.scan(cursor, match);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  @Benchmark
  public Story l2Hit() {
    l2Calls.incrementAndGet();
    return l2Only.generate(request);
  }

  @Benchmark
  public Story fullMiss() {
    return tiered.generate(Requests.typicalNumbered(sequence.incrementAndGet()));
  }

  @Benchmark
  public byte[] rawGet() {
    return raw.get(storedKey);
  }
}
