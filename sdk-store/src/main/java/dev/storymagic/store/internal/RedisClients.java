package dev.storymagic.store.internal;

import dev.storymagic.StoryMagicException;
import dev.storymagic.store.RedisConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/** Opens the Jedis client a {@link RedisConfig} describes. Not API. */
public final class RedisClients {
  private static final Duration EVICTION_RUN = Duration.ofSeconds(30);

  private RedisClients() {}

  /**
   * A pooled client: {@link RedisClient} for one node, {@link RedisClusterClient} for a cluster. A
   * single node is connected lazily, so an absent Redis does not stop the application.
   *
   * @throws StoryMagicException.StorageFailure if a cluster's topology cannot be read from any seed
   *     node
   */
  // ssl(boolean) and sslParameters(...) are deprecated in Jedis 8 for SslOptions; kept until the
  // move
  // to SslOptions is tested against a TLS Redis.
  @SuppressWarnings("deprecation")
  public static UnifiedJedis open(RedisConfig config) {
    int millis = (int) Math.max(1, config.timeout().toMillis());
    DefaultJedisClientConfig.Builder client =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName("storymagic")
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .ssl(config.tls());
    if (config.tls()) {
      // Check the certificate's host name too; the JVM's SSLSocket does not unless asked.
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      client.sslParameters(parameters);
    }
    config.user().ifPresent(client::user);
    config.password().ifPresent(client::password);

    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(config.maxConnections());
    pool.setMaxIdle(config.maxConnections());
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(config.timeout());
    pool.setTestWhileIdle(true);
    pool.setTimeBetweenEvictionRuns(EVICTION_RUN);
    pool.setJmxEnabled(false);

    if (!config.cluster()) {
      return RedisClient.builder()
          .hostAndPort(config.host(), config.port())
          .clientConfig(client.build())
          .poolConfig(pool)
          .build();
    }
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    for (String node : config.clusterNodes()) {
      nodes.add(HostAndPort.from(node));
    }
    try {
      return RedisClusterClient.builder()
          .nodes(nodes)
          .clientConfig(client.build())
          .poolConfig(pool)
          .maxAttempts(2)
          .maxTotalRetriesDuration(config.timeout().multipliedBy(3))
          .build();
    } catch (RuntimeException e) {
      throw new StoryMagicException.StorageFailure(
          "Redis cluster " + config.describeTarget() + " is unreachable: " + e.getMessage(), e);
    }
  }
}
