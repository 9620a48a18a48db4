package dev.storymagic.store;

import dev.storymagic.CacheTier;
import dev.storymagic.ComponentHealth;
import dev.storymagic.Story;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.store.internal.CacheEntries;
import dev.storymagic.store.internal.DbTelemetry;
import dev.storymagic.store.internal.StoryCodec;
import dev.storymagic.store.internal.WarnThrottle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The shared L2 tier in Redis. Each story is one key, {@code <prefix>story:<cache key>}, holding a
 * versioned, compact (deflated when large) encoding, with the configured time to live. Stories
 * whose encoding exceeds {@link RedisConfig#maxEntryBytes()} are not cached.
 *
 * <p>As the {@link StoryCache} contract asks, Redis being down, slow (beyond {@link
 * RedisConfig#timeout()}) or holding an entry this version cannot read is a miss: {@link #get}
 * returns empty and {@link #put} does nothing. Once Redis answers again the cache works again, with
 * nothing to reset. Obtain one from {@link RedisPlugin#cache()}.
 */
public final class RedisStoryCache implements StoryCache {
  private static final Logger log = LoggerFactory.getLogger(RedisStoryCache.class);

  /** The most a deflated entry may inflate to, against corrupt entries. */
  private static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;

  private final UnifiedJedis jedis;
  private final String prefix;
  private final long ttlMillis;
  private final int maxEntryBytes;
  private final String target;
  private final WarnThrottle warnings = new WarnThrottle(log, Duration.ofSeconds(10));
  private final AtomicLong oversized = new AtomicLong();
  private final DbTelemetry telemetry;

  RedisStoryCache(UnifiedJedis jedis, RedisConfig config, DbTelemetry telemetry) {
    this.jedis = jedis;
    this.telemetry = telemetry;
    this.prefix = config.keyPrefix() + "story:";
    this.ttlMillis = config.ttl().toMillis();
    this.maxEntryBytes = config.maxEntryBytes();
    this.target = config.describeTarget();
  }

  @Override
  public Optional<Story> get(String key) {
    byte[] entry;
    try {
      entry = telemetry.command("GET", "cache.get", () -> jedis.get(redisKey(key)));
    } catch (RuntimeException e) {
      warnings.warn("Redis cache read failed; treating it as a miss", e);
      return Optional.empty();
    }
    if (entry == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(CacheEntries.decode(entry, MAX_INFLATED_BYTES));
    } catch (StoryCodec.UnsupportedFormatException | CacheEntries.UnreadableEntryException e) {
      // Written by another version of StoryMagic, or damaged: a miss; the next put replaces it.
      log.debug("unreadable Redis cache entry treated as a miss: {}", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, Story story) {
    byte[] entry = CacheEntries.encode(story);
    if (entry.length > maxEntryBytes) {
      long n = oversized.incrementAndGet();
      if (n == 1 || n % 1000 == 0) {
        log.info(
            "story of {} bytes exceeds the Redis entry limit of {} bytes; not cached ({} so far)",
            entry.length,
            maxEntryBytes,
            n);
      }
      return;
    }
    try {
      telemetry.command(
          "SET",
          "cache.put",
          () -> jedis.set(redisKey(key), entry, SetParams.setParams().px(ttlMillis)));
    } catch (RuntimeException e) {
      warnings.warn("Redis cache write failed; the story is not shared", e);
    }
  }

  @Override
  public void invalidate(String key) {
    try {
      telemetry.command("DEL", "cache.invalidate", () -> jedis.del(redisKey(key)));
    } catch (RuntimeException e) {
      warnings.warn("Redis cache invalidation failed; the entry expires with its TTL", e);
    }
  }

  @Override
  public CacheTier tier() {
    return CacheTier.L2;
  }

  /** {@code PING}, within the configured timeout. */
  @Override
  public ComponentHealth health() {
    try {
      String pong = jedis.ping();
      return "PONG".equalsIgnoreCase(pong)
          ? ComponentHealth.up("redis " + target)
          : ComponentHealth.down("redis answered PING with something else");
    } catch (RuntimeException e) {
      return ComponentHealth.down(
          "redis " + target + " unreachable: " + e.getClass().getSimpleName());
    }
  }

  /** Stories not cached because they exceeded the entry size limit, since start. */
  public long oversizedSkipped() {
    return oversized.get();
  }

  private byte[] redisKey(String key) {
    return (prefix + key).getBytes(StandardCharsets.UTF_8);
  }
}
