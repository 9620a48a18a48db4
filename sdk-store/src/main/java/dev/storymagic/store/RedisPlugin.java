package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

import dev.storymagic.ComponentHealth;
import dev.storymagic.StoryMagic;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryMagicPlugin;
import dev.storymagic.store.internal.DbTelemetry;
import dev.storymagic.store.internal.RedisClients;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * StoryMagic on Redis in one step: installs a two-tier cache (Caffeine L1 of {@value
 * #L1_MAXIMUM_SIZE} stories in front of the shared {@link RedisStoryCache}), the cross-node {@link
 * RedisGenerationLock} and, when {@link RedisConfig#rateLimit()} is set, the shared {@link
 * RedisRateLimiter}.
 *
 * <pre>{@code
 * RedisPlugin redis = RedisPlugin.create(RedisConfig.builder().host(System.getenv("REDIS_HOST")).tls(true).build());
 * StoryMagic magic = StoryMagic.builder().install(redis).build();
 * ...
 * magic.close();
 * redis.close();
 * }</pre>
 *
 * <p>The plugin owns one pooled Jedis client (a {@code RedisClient}, or a {@code
 * RedisClusterClient} for a cluster) shared by the three; {@link #close()} releases it. Redis need
 * not be up when the plugin is created: until it is, the cache misses, the lock lets every node
 * generate and the limiter allows.
 */
public final class RedisPlugin implements StoryMagicPlugin, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisPlugin.class);

  /** Stories kept in the in-process tier in front of Redis. */
  public static final int L1_MAXIMUM_SIZE = 10_000;

  private final UnifiedJedis jedis;
  private final boolean ownsClient;
  private final RedisStoryCache cache;
  private final RedisGenerationLock lock;
  private final Optional<RedisRateLimiter> rateLimiter;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisPlugin(UnifiedJedis jedis, boolean ownsClient, RedisConfig config) {
    this.jedis = jedis;
    this.ownsClient = ownsClient;
    // One set of command meters and spans for the three uses of the client.
    DbTelemetry telemetry = DbTelemetry.redis(config.meterRegistry(), config.openTelemetry());
    this.cache = new RedisStoryCache(jedis, config, telemetry);
    this.lock = new RedisGenerationLock(jedis, config, telemetry);
    this.rateLimiter =
        config.rateLimit().map(limit -> new RedisRateLimiter(jedis, config, limit, telemetry));
  }

  /**
   * A plugin with its own pooled client for {@code config}.
   *
   * @throws dev.storymagic.StoryMagicException.StorageFailure for a cluster whose topology no seed
   *     node can give
   */
  public static RedisPlugin create(RedisConfig config) {
    requireNonNull(config, "config");
    RedisPlugin plugin = new RedisPlugin(RedisClients.open(config), true, config);
    ComponentHealth health = plugin.health();
    if (health.status() == ComponentHealth.Status.UP) {
      log.info("Redis ready on {} (key prefix {})", config.describeTarget(), config.keyPrefix());
    } else {
      log.warn(
          "Redis on {} is not answering yet; StoryMagic runs on its in-process cache until it does",
          config.describeTarget());
    }
    return plugin;
  }

  /**
   * A plugin over the application's own client, which {@link #close()} leaves open. The client's
   * timeouts apply; {@code config} supplies the key prefix, TTL, entry limit and rate limit.
   */
  public static RedisPlugin using(UnifiedJedis client, RedisConfig config) {
    return new RedisPlugin(
        requireNonNull(client, "client"), false, requireNonNull(config, "config"));
  }

  @Override
  public void install(StoryMagic.Builder builder) {
    builder.cache(StoryCache.tiered(CaffeineStoryCache.create(L1_MAXIMUM_SIZE), cache));
    builder.generationLock(lock);
    rateLimiter.ifPresent(builder::rateLimiter);
  }

  public RedisStoryCache cache() {
    return cache;
  }

  public RedisGenerationLock generationLock() {
    return lock;
  }

  /** The rate limiter, when the configuration has a {@link RedisConfig#rateLimit() rate limit}. */
  public Optional<RedisRateLimiter> rateLimiter() {
    return rateLimiter;
  }

  /** {@code PING} within the configured timeout. */
  public ComponentHealth health() {
    return closed.get() ? ComponentHealth.down("redis client closed") : cache.health();
  }

  /** Closes the client this plugin opened (not one passed to {@link #using}). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      try {
        jedis.close();
      } catch (RuntimeException e) {
        log.warn("closing the Redis client failed: {}", e.toString());
      }
    }
  }
}
