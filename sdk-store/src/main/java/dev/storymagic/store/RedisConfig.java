package dev.storymagic.store;

import static dev.storymagic.store.internal.OptionChecks.checkPort;
import static dev.storymagic.store.internal.OptionChecks.checkPresent;
import static dev.storymagic.store.internal.OptionChecks.notBlank;
import static dev.storymagic.store.internal.OptionChecks.require;
import static dev.storymagic.store.internal.OptionChecks.requireText;
import static dev.storymagic.store.internal.OptionChecks.within;
import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How StoryMagic reaches Redis (single node, TLS, or Redis Cluster) and what it keeps there.
 *
 * <pre>{@code
 * RedisConfig redis = RedisConfig.custom().host(System.getenv("REDIS_HOST")).tls(true).build();
 * RedisConfig limited = RedisConfig.from(redis).rateLimit(RateLimit.perMinute(30, 5)).build();
 * }</pre>
 *
 * <p>The defaults suit ElastiCache Redis 7 in the same VPC: a 50 ms connect and read timeout (a
 * slow or absent Redis becomes a cache miss, not a slow request), entries kept 24 hours, at most 64
 * KiB per entry, and every key under {@code storymagic:}. For in-transit encryption set {@link
 * Builder#tls(boolean) tls(true)}; the server certificate and host name are verified against the
 * JVM's trust store.
 *
 * <p>Every component is checked here, once, whichever way the value is made: the canonical
 * constructor throws {@link IllegalArgumentException} naming the component and its value (never a
 * password). {@link #toString()} never shows the password.
 *
 * @param host the host of a single node, or the node a cluster is discovered from
 * @param port the port with {@code host}
 * @param tls whether to connect with TLS
 * @param user the ACL user name; absent means the {@code default} user
 * @param password the password or ElastiCache AUTH token
 * @param cluster whether to talk to a Redis Cluster
 * @param seedNodes the {@code host:port} nodes a cluster is discovered from, as given; empty means
 *     {@code host} and {@code port} (see {@link #clusterNodes()})
 * @param keyPrefix what every key starts with
 * @param timeout the connect timeout, read timeout and longest wait for a pooled connection
 * @param ttl how long a cached story lives
 * @param maxEntryBytes the largest encoded entry to cache
 * @param maxConnections pooled connections (per node in a cluster)
 * @param rateLimit the per-owner rate limit, when {@link RedisPlugin} should install a limiter
 * @param meterRegistry where command latency goes: {@code db.client.operation.duration} of every
 *     command, by command and use (cache, lock, rate limit), with percentiles
 * @param openTelemetry where command spans go; absent means the global OpenTelemetry once the
 *     application set it
 */
public record RedisConfig(
    String host,
    int port,
    boolean tls,
    Optional<String> user,
    Optional<String> password,
    boolean cluster,
    List<String> seedNodes,
    String keyPrefix,
    Duration timeout,
    Duration ttl,
    int maxEntryBytes,
    int maxConnections,
    Optional<RateLimit> rateLimit,
    Optional<MeterRegistry> meterRegistry,
    Optional<OpenTelemetry> openTelemetry)
    implements StoreConnection {

  public static final int DEFAULT_PORT = 6379;
  public static final String DEFAULT_KEY_PREFIX = "storymagic:";

  /** Default connect and read timeout: 50 milliseconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);

  /** Default time an entry stays cached: 24 hours. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** Default largest cache entry: 64 KiB. */
  public static final int DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;

  /** Default pooled connections (per node in a cluster): {@value}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  private static final String DEFAULT_HOST = "localhost";

  /**
   * Checks every component.
   *
   * @throws IllegalArgumentException naming the first component out of range, or the options that
   *     contradict each other: seed nodes with a host or port, or seed nodes without {@code
   *     cluster}
   */
  public RedisConfig {
    host = notBlank(host, "host");
    checkPort(port);
    user = checkPresent(user, "user", u -> requireText(u, "user"));
    requireNonNull(password, "password");
    seedNodes = List.copyOf(requireNonNull(seedNodes, "seedNodes"));
    seedNodes.forEach(RedisConfig::checkNode);
    checkKeyPrefix(keyPrefix);
    requireNonNull(timeout, "timeout");
    require(
        timeout.toMillis() >= 1 && timeout.compareTo(Duration.ofSeconds(60)) <= 0,
        "timeout must be within 1 ms..60 s: %s",
        timeout);
    requireNonNull(ttl, "ttl");
    require(
        ttl.toSeconds() >= 1 && ttl.compareTo(Duration.ofDays(30)) <= 0,
        "ttl must be within 1 s..30 days: %s",
        ttl);
    within(maxEntryBytes, 1024, 16 * 1024 * 1024, "maxEntryBytes");
    within(maxConnections, 1, 1024, "maxConnections");
    requireNonNull(rateLimit, "rateLimit");
    requireNonNull(meterRegistry, "meterRegistry");
    requireNonNull(openTelemetry, "openTelemetry");
    require(
        seedNodes.isEmpty() || (host.equals(DEFAULT_HOST) && port == DEFAULT_PORT),
        "set either clusterNodes or host/port, not both");
    require(cluster || seedNodes.isEmpty(), "clusterNodes were given but cluster(false) was set");
  }

  /** A builder with every default: a single node on {@code localhost}. */
  public static Builder custom() {
    return new Builder();
  }

  /** The same as {@link #custom()}. */
  public static Builder builder() {
    return custom();
  }

  /** A builder starting from {@code base}'s values, each of which may be changed once. */
  public static Builder from(RedisConfig base) {
    return new Builder().copy(requireNonNull(base, "base"));
  }

  /** A single node on {@code localhost} with every default. */
  public static RedisConfig ofDefaults() {
    return custom().build();
  }

  /** The cluster's seed nodes as {@code host:port}; when none were given, the host and port. */
  public List<String> clusterNodes() {
    return seedNodes.isEmpty() ? List.of(host + ":" + port) : seedNodes;
  }

  /** Where this configuration connects, without credentials. */
  public String describeTarget() {
    return (cluster ? "cluster " + String.join(",", clusterNodes()) : host + ":" + port)
        + (tls ? " (tls)" : "");
  }

  @Override
  public String toString() {
    return StoreConnection.describe("RedisConfig", describeTarget(), this)
        + ", keyPrefix="
        + keyPrefix
        + ", timeout="
        + timeout
        + ", ttl="
        + ttl
        + ", maxEntryBytes="
        + maxEntryBytes
        + ", maxConnections="
        + maxConnections
        + ", rateLimit="
        + rateLimit.map(RateLimit::toString).orElse("none")
        + "}";
  }

  private static void checkNode(String node) {
    requireNonNull(node, "node");
    int colon = node.lastIndexOf(':');
    boolean ok = colon > 0 && colon < node.length() - 1;
    if (ok) {
      try {
        int p = Integer.parseInt(node.substring(colon + 1));
        ok = p >= 1 && p <= 65_535;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    require(ok, "cluster node must be host:port: '%s'", node);
  }

  private static void checkKeyPrefix(String keyPrefix) {
    requireNonNull(keyPrefix, "keyPrefix");
    require(
        !keyPrefix.isEmpty()
            && keyPrefix.length() <= 64
            && keyPrefix.chars().noneMatch(Character::isWhitespace)
            && !keyPrefix.contains("*")
            && !keyPrefix.contains("?")
            && !keyPrefix.contains("["),
        "keyPrefix must have 1 to 64 characters, without whitespace or glob characters: '%s'",
        keyPrefix);
  }

  /**
   * Builds {@link RedisConfig}. Every option has a default; setting one twice is an {@link
   * IllegalStateException}; values are checked by {@link #build()}.
   */
  public static final class Builder extends StoreConfigBuilder<Builder> {
    private boolean tls;
    // Unset, it follows the seed nodes: giving them means a cluster.
    private Boolean cluster;
    private List<String> seedNodes = List.of();
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration ttl = DEFAULT_TTL;
    private int maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private RateLimit rateLimit;

    private Builder() {
      super(DEFAULT_HOST, DEFAULT_PORT);
    }

    private Builder copy(RedisConfig c) {
      copyConnection(c);
      host = c.host();
      tls = c.tls();
      cluster = c.cluster();
      seedNodes = c.seedNodes();
      keyPrefix = c.keyPrefix();
      timeout = c.timeout();
      ttl = c.ttl();
      maxEntryBytes = c.maxEntryBytes();
      maxConnections = c.maxConnections();
      rateLimit = c.rateLimit().orElse(null);
      return this;
    }

    /** Connect with TLS (ElastiCache in-transit encryption). Default false. */
    public Builder tls(boolean tls) {
      this.tls = once.set("tls", tls);
      return this;
    }

    /** Talk to a Redis Cluster, discovering it from the host and port. Default false. */
    public Builder cluster(boolean cluster) {
      this.cluster = once.set("cluster", cluster);
      return this;
    }

    /**
     * Talk to a Redis Cluster, discovering it from these {@code host:port} seed nodes (at least
     * one). Exclusive with {@link #host} and {@link #port}.
     */
    public Builder clusterNodes(List<String> nodes) {
      requireNonNull(nodes, "clusterNodes");
      require(!nodes.isEmpty(), "clusterNodes must name at least one host:port");
      this.seedNodes = once.set("clusterNodes", nodes);
      return this;
    }

    /**
     * What every key starts with, so several applications or tests can share one Redis: 1 to 64
     * characters without spaces. Default {@value RedisConfig#DEFAULT_KEY_PREFIX}.
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = once.set("keyPrefix", keyPrefix);
      return this;
    }

    /**
     * The connect timeout, read timeout and longest wait for a pooled connection: 1 ms to 60 s.
     * When it passes, a cache read is a miss, a write is skipped, the lock lets the caller
     * generate, and the rate limiter allows. Default 50 milliseconds.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = once.set("timeout", timeout);
      return this;
    }

    /** How long a cached story lives: 1 second to 30 days. Default 24 hours. */
    public Builder ttl(Duration ttl) {
      this.ttl = once.set("ttl", ttl);
      return this;
    }

    /**
     * The largest encoded entry to cache, 1 KiB to 16 MiB; larger stories are not cached. Default
     * 64 KiB.
     */
    public Builder maxEntryBytes(int maxEntryBytes) {
      this.maxEntryBytes = once.set("maxEntryBytes", maxEntryBytes);
      return this;
    }

    /**
     * Pooled connections (per node in a cluster), 1 to 1024. Default {@value
     * RedisConfig#DEFAULT_MAX_CONNECTIONS}.
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = once.set("maxConnections", maxConnections);
      return this;
    }

    /** Install a shared per-owner rate limiter with this limit. Default none. */
    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = once.set("rateLimit", rateLimit);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException naming an option out of range, or options that contradict
     *     each other (see {@link RedisConfig})
     */
    public RedisConfig build() {
      return new RedisConfig(
          host,
          port,
          tls,
          Optional.ofNullable(user),
          Optional.ofNullable(password),
          cluster != null ? cluster : !seedNodes.isEmpty(),
          seedNodes,
          keyPrefix,
          timeout,
          ttl,
          maxEntryBytes,
          maxConnections,
          Optional.ofNullable(rateLimit),
          Optional.ofNullable(meterRegistry),
          Optional.ofNullable(openTelemetry));
    }
  }
}
