package dev.storymagic.store;

import dev.storymagic.store.internal.SetOnce;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * The options every store configuration's builder takes ({@link PostgresConfig.Builder}, {@link
 * RedisConfig.Builder}): where the server is, who connects, and where metrics and spans go. Every
 * option has a default; setting one twice is an {@link IllegalStateException}; values are checked
 * when the configuration is built.
 *
 * @param <B> the configuration's builder, returned by each option for chaining
 */
public abstract class StoreConfigBuilder<B extends StoreConfigBuilder<B>> {
  final SetOnce once = new SetOnce();
  String host;
  int port;
  String user;
  String password;
  MeterRegistry meterRegistry;
  OpenTelemetry openTelemetry;

  StoreConfigBuilder(String defaultHost, int defaultPort) {
    this.host = defaultHost;
    this.port = defaultPort;
  }

  /** This builder as its own type: each subclass is declared {@code X extends ...<X>}. */
  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Starts from {@code c}'s port, credentials, metrics and spans. */
  final void copyConnection(StoreConnection c) {
    port = c.port();
    user = c.user().orElse(null);
    password = c.password().orElse(null);
    meterRegistry = c.meterRegistry().orElse(null);
    openTelemetry = c.openTelemetry().orElse(null);
  }

  /**
   * The server's host name or address, such as the RDS endpoint in {@code DATABASE_HOST} or the
   * ElastiCache endpoint in {@code REDIS_HOST}. Default: none for PostgreSQL (give this or a JDBC
   * URL), {@code localhost} for Redis.
   */
  public B host(String host) {
    this.host = once.set("host", host);
    return self();
  }

  /** The port, 1 to 65535. Default the configuration's {@code DEFAULT_PORT}. */
  public B port(int port) {
    this.port = once.set("port", port);
    return self();
  }

  /** The user name (for Redis 6+, the ACL user). Default none (Redis: the {@code default} user). */
  public B user(String user) {
    this.user = once.set("user", user);
    return self();
  }

  /** The password, or the ElastiCache AUTH token. Default none. */
  public B password(String password) {
    this.password = once.set("password", password);
    return self();
  }

  /**
   * Records {@code db.client.operation.duration} of every statement or command StoryMagic sends,
   * with percentiles, and the store's own meters (see the configuration's {@code meterRegistry}),
   * in {@code registry}. Default none.
   */
  public B meterRegistry(MeterRegistry registry) {
    this.meterRegistry = once.set("meterRegistry", registry);
    return self();
  }

  /**
   * Where the client span of each statement or command goes (database semantic conventions; its
   * name, never an argument, key or value). Default the global OpenTelemetry once the application
   * has set it.
   */
  public B openTelemetry(OpenTelemetry openTelemetry) {
    this.openTelemetry = once.set("openTelemetry", openTelemetry);
    return self();
  }
}
