package dev.storymagic.store;

import static dev.storymagic.store.internal.OptionChecks.notBlank;
import static dev.storymagic.store.internal.OptionChecks.once;
import static dev.storymagic.store.internal.OptionChecks.require;
import static dev.storymagic.store.internal.OptionChecks.within;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How StoryMagic reaches Redis (single node, TLS, or Redis Cluster) and what it keeps there.
 * Immutable; build one with {@link #builder()}.
 *
 * <p>The defaults suit ElastiCache Redis 7 in the same VPC: a 50 ms connect and read timeout (a
 * slow or absent Redis becomes a cache miss, not a slow request), entries kept 24 hours, at most 64
 * KiB per entry, and every key under {@code storymagic:}. For in-transit encryption set {@link
 * Builder#tls(boolean) tls(true)}; the server certificate and host name are verified against the
 * JVM's trust store.
 */
public final class RedisConfig {
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

  private final String host;
  private final int port;
  private final boolean tls;
  private final Optional<String> user;
  private final Optional<String> password;
  private final boolean cluster;
  private final List<String> clusterNodes;
  private final String keyPrefix;
  private final Duration timeout;
  private final Duration ttl;
  private final int maxEntryBytes;
  private final int maxConnections;
  private final Optional<RateLimit> rateLimit;
  private final Optional<io.micrometer.core.instrument.MeterRegistry> meterRegistry;
  private final Optional<io.opentelemetry.api.OpenTelemetry> openTelemetry;

  private RedisConfig(Builder b) {
    this.host = b.host != null ? b.host : "localhost";
    this.port = b.port != null ? b.port : DEFAULT_PORT;
    this.tls = b.tls != null && b.tls;
    this.user = Optional.ofNullable(b.user);
    this.password = Optional.ofNullable(b.password);
    this.clusterNodes = b.clusterNodes != null ? List.copyOf(b.clusterNodes) : List.of();
    this.cluster = (b.cluster != null && b.cluster) || !clusterNodes.isEmpty();
    this.keyPrefix = b.keyPrefix != null ? b.keyPrefix : DEFAULT_KEY_PREFIX;
    this.timeout = b.timeout != null ? b.timeout : DEFAULT_TIMEOUT;
    this.ttl = b.ttl != null ? b.ttl : DEFAULT_TTL;
    this.maxEntryBytes = b.maxEntryBytes != null ? b.maxEntryBytes : DEFAULT_MAX_ENTRY_BYTES;
    this.maxConnections = b.maxConnections != null ? b.maxConnections : DEFAULT_MAX_CONNECTIONS;
    this.rateLimit = Optional.ofNullable(b.rateLimit);
    this.meterRegistry = Optional.ofNullable(b.meterRegistry);
    this.openTelemetry = Optional.ofNullable(b.openTelemetry);
  }

  /** Where command latency goes, when set. */
  public Optional<io.micrometer.core.instrument.MeterRegistry> meterRegistry() {
    return meterRegistry;
  }

  /**
   * Where command spans go, when set; otherwise the global OpenTelemetry once the application set
   * it.
   */
  public Optional<io.opentelemetry.api.OpenTelemetry> openTelemetry() {
    return openTelemetry;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean tls() {
    return tls;
  }

  public Optional<String> user() {
    return user;
  }

  /** The password, if set. Never printed by {@link #toString()}. */
  public Optional<String> password() {
    return password;
  }

  public boolean cluster() {
    return cluster;
  }

  /** The cluster's seed nodes as {@code host:port}; when none were given, the host and port. */
  public List<String> clusterNodes() {
    return clusterNodes.isEmpty() ? List.of(host + ":" + port) : clusterNodes;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration ttl() {
    return ttl;
  }

  public int maxEntryBytes() {
    return maxEntryBytes;
  }

  public int maxConnections() {
    return maxConnections;
  }

  /** The per-owner rate limit, when {@link RedisPlugin} should install a limiter. */
  public Optional<RateLimit> rateLimit() {
    return rateLimit;
  }

  /** Where this configuration connects, without credentials. */
  public String describeTarget() {
    return (cluster ? "cluster " + String.join(",", clusterNodes()) : host + ":" + port)
        + (tls ? " (tls)" : "");
  }

  @Override
  public String toString() {
    return "RedisConfig{target="
        + describeTarget()
        + ", user="
        + user.orElse("-")
        + ", password="
        + (password.isPresent() ? "****" : "-")
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

  /** Builds {@link RedisConfig}. Setting an option twice is an {@link IllegalStateException}. */
  public static final class Builder {
    private String host;
    private Integer port;
    private Boolean tls;
    private String user;
    private String password;
    private Boolean cluster;
    private List<String> clusterNodes;
    private String keyPrefix;
    private Duration timeout;
    private Duration ttl;
    private Integer maxEntryBytes;
    private Integer maxConnections;
    private RateLimit rateLimit;
    private io.micrometer.core.instrument.MeterRegistry meterRegistry;
    private io.opentelemetry.api.OpenTelemetry openTelemetry;

    private Builder() {}

    /**
     * The host, such as the ElastiCache endpoint in {@code REDIS_HOST}. Default {@code localhost}.
     */
    public Builder host(String host) {
      this.host = once(this.host, notBlank(host, "host"), "host");
      return this;
    }

    /** The port, 1 to 65535. Default {@value RedisConfig#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = once(this.port, within(port, 1, 65_535, "port"), "port");
      return this;
    }

    /** Connect with TLS (ElastiCache in-transit encryption). Default false. */
    public Builder tls(boolean tls) {
      this.tls = once(this.tls, tls, "tls");
      return this;
    }

    /** The ACL user name (Redis 6+). Default none: the {@code default} user. */
    public Builder user(String user) {
      requireNonNull(user, "user");
      require(!user.isBlank(), "user must not be blank");
      this.user = once(this.user, user, "user");
      return this;
    }

    /** The password or ElastiCache AUTH token. */
    public Builder password(String password) {
      this.password = once(this.password, requireNonNull(password, "password"), "password");
      return this;
    }

    /** Talk to a Redis Cluster, discovering it from the host and port. Default false. */
    public Builder cluster(boolean cluster) {
      this.cluster = once(this.cluster, cluster, "cluster");
      return this;
    }

    /** Talk to a Redis Cluster, discovering it from these {@code host:port} seed nodes. */
    public Builder clusterNodes(List<String> nodes) {
      requireNonNull(nodes, "nodes");
      require(!nodes.isEmpty(), "clusterNodes must name at least one host:port");
      List<String> checked = new ArrayList<>();
      for (String n : nodes) {
        requireNonNull(n, "node");
        int colon = n.lastIndexOf(':');
        boolean ok = colon > 0 && colon < n.length() - 1;
        if (ok) {
          try {
            int p = Integer.parseInt(n.substring(colon + 1));
            ok = p >= 1 && p <= 65_535;
          } catch (NumberFormatException e) {
            ok = false;
          }
        }
        if (!ok) {
          throw new IllegalArgumentException("cluster node must be host:port: '" + n + "'");
        }
        checked.add(n);
      }
      this.clusterNodes = once(this.clusterNodes, checked, "clusterNodes");
      return this;
    }

    /**
     * What every key starts with, so several applications or tests can share one Redis: 1 to 64
     * characters without spaces. Default {@value RedisConfig#DEFAULT_KEY_PREFIX}.
     */
    public Builder keyPrefix(String keyPrefix) {
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
      this.keyPrefix = once(this.keyPrefix, keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * The connect timeout, read timeout and longest wait for a pooled connection: 1 ms to 60 s.
     * When it passes, a cache read is a miss, a write is skipped, the lock lets the caller
     * generate, and the rate limiter allows. Default 50 milliseconds.
     */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      require(
          timeout.toMillis() >= 1 && timeout.compareTo(Duration.ofSeconds(60)) <= 0,
          "timeout must be within 1 ms..60 s: %s",
          timeout);
      this.timeout = once(this.timeout, timeout, "timeout");
      return this;
    }

    /** How long a cached story lives: 1 second to 30 days. Default 24 hours. */
    public Builder ttl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      require(
          ttl.toSeconds() >= 1 && ttl.compareTo(Duration.ofDays(30)) <= 0,
          "ttl must be within 1 s..30 days: %s",
          ttl);
      this.ttl = once(this.ttl, ttl, "ttl");
      return this;
    }

    /**
     * The largest encoded entry to cache, 1 KiB to 16 MiB; larger stories are not cached. Default
     * 64 KiB.
     */
    public Builder maxEntryBytes(int maxEntryBytes) {
      this.maxEntryBytes =
          once(
              this.maxEntryBytes,
              within(maxEntryBytes, 1024, 16 * 1024 * 1024, "maxEntryBytes"),
              "maxEntryBytes");
      return this;
    }

    /**
     * Pooled connections (per node in a cluster), 1 to 1024. Default {@value
     * RedisConfig#DEFAULT_MAX_CONNECTIONS}.
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections =
          once(
              this.maxConnections,
              within(maxConnections, 1, 1024, "maxConnections"),
              "maxConnections");
      return this;
    }

    /** Install a shared per-owner rate limiter with this limit. Default none. */
    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = once(this.rateLimit, requireNonNull(rateLimit, "rateLimit"), "rateLimit");
      return this;
    }

    /**
     * Records {@code db.client.operation.duration} of every Redis command StoryMagic sends (by
     * command and use: cache, lock, rate limit), with percentiles, in {@code registry}. Default
     * none.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry =
          once(this.meterRegistry, requireNonNull(registry, "registry"), "meterRegistry");
      return this;
    }

    /**
     * Where the client span of each command goes (database semantic conventions; the command and
     * its use, never a key or a value). Default the global OpenTelemetry once the application set
     * it.
     */
    public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      this.openTelemetry =
          once(this.openTelemetry, requireNonNull(openTelemetry, "openTelemetry"), "openTelemetry");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalStateException if cluster nodes were given together with a host or port, or
     *     {@code cluster(false)} contradicts them
     */
    public RedisConfig build() {
      if (clusterNodes != null && (host != null || port != null)) {
        throw new IllegalStateException("set either clusterNodes or host/port, not both");
      }
      if (clusterNodes != null && cluster != null && !cluster) {
        throw new IllegalStateException("clusterNodes were given but cluster(false) was set");
      }
      return new RedisConfig(this);
    }
  }
}
