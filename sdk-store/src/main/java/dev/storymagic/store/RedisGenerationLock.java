package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

import dev.storymagic.spi.GenerationLock;
import dev.storymagic.store.internal.LuaScript;
import dev.storymagic.store.internal.WarnThrottle;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Cross-node single-flight: a short Redis lock per cache key ({@code SET <prefix>lock:<key> <token>
 * NX PX <ttl>}) with a random token, released only by its holder (compare-and-delete in one Lua
 * script), so a lock that expired and was taken by another node is never released by the first.
 *
 * <p>When Redis cannot be reached within the timeout the lock cannot say whether another node is
 * generating; it then grants a lease that guards nothing, so the caller generates on its own rather
 * than waiting for a story that may never come. Obtain one from {@link
 * RedisPlugin#generationLock()}.
 */
public final class RedisGenerationLock implements GenerationLock {
  private static final Logger log = LoggerFactory.getLogger(RedisGenerationLock.class);
  private static final LuaScript RELEASE =
      new LuaScript(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final UnifiedJedis jedis;
  private final String prefix;
  private final WarnThrottle warnings = new WarnThrottle(log, Duration.ofSeconds(10));
  private final dev.storymagic.store.internal.DbTelemetry telemetry;

  RedisGenerationLock(
      UnifiedJedis jedis, RedisConfig config, dev.storymagic.store.internal.DbTelemetry telemetry) {
    this.jedis = jedis;
    this.telemetry = telemetry;
    this.prefix = config.keyPrefix() + "lock:";
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code ttl} is shorter than 1 ms
   */
  @Override
  public Optional<Lease> tryAcquire(String key, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("lock ttl must be at least 1 ms: " + ttl);
    }
    String redisKey = prefix + key;
    String token = newToken();
    try {
      String reply =
          telemetry.command(
              "SET",
              "lock.acquire",
              () -> jedis.set(redisKey, token, SetParams.setParams().nx().px(ttl.toMillis())));
      return "OK".equals(reply) ? Optional.of(new RedisLease(redisKey, token)) : Optional.empty();
    } catch (RuntimeException e) {
      warnings.warn(
          "Redis generation lock unavailable; generating without cross-node coordination", e);
      return Optional.of(() -> {});
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private final class RedisLease implements Lease {
    private final String key;
    private final String token;
    private final AtomicBoolean released = new AtomicBoolean();

    RedisLease(String key, String token) {
      this.key = key;
      this.token = token;
    }

    @Override
    public void close() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      try {
        Object deleted =
            telemetry.command(
                "EVALSHA", "lock.release", () -> RELEASE.run(jedis, key, List.of(token)));
        if (!Long.valueOf(1).equals(deleted)) {
          log.debug("generation lock had already expired or passed to another holder");
        }
      } catch (RuntimeException e) {
        warnings.warn("Redis generation lock release failed; it expires with its TTL", e);
      }
    }
  }
}
