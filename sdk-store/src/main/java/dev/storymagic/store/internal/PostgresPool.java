package dev.storymagic.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.storymagic.StoryMagicException;
import dev.storymagic.store.PostgresConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/** The HikariCP pool a {@code PostgresStoryStore} opens from a {@link PostgresConfig}. Not API. */
public final class PostgresPool implements AutoCloseable {
  /**
   * Extra time the socket may stay silent beyond the statement timeout before the driver gives up.
   */
  private static final Duration SOCKET_GRACE = Duration.ofSeconds(5);

  private final HikariDataSource dataSource;

  private PostgresPool(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Opens the pool and makes one connection, failing within the connection timeout.
   *
   * @throws StoryMagicException.StorageFailure if the database cannot be reached
   */
  public static PostgresPool open(PostgresConfig config) {
    try {
      return new PostgresPool(new HikariDataSource(hikari(config)));
    } catch (RuntimeException e) {
      throw new StoryMagicException.StorageFailure(
          "PostgreSQL at " + config.describeTarget() + " is unreachable: " + rootMessage(e), e);
    }
  }

  static HikariConfig hikari(PostgresConfig config) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("storymagic-store");
    Properties driver = new Properties();
    h.setMaximumPoolSize(config.maxPoolSize());
    h.setMinimumIdle(config.minIdle());
    long connectMillis = config.connectionTimeout().toMillis();
    h.setConnectionTimeout(connectMillis);
    h.setValidationTimeout(Math.max(250, Math.min(connectMillis, 1_000)));
    // Fail at start, within the connection timeout, when the database is unreachable.
    h.setInitializationFailTimeout(connectMillis);
    int connectSeconds = (int) Math.max(1, (connectMillis + 999) / 1000);
    driver.setProperty("connectTimeout", String.valueOf(connectSeconds));
    driver.setProperty("loginTimeout", String.valueOf(connectSeconds));
    driver.setProperty("tcpKeepAlive", "true");
    driver.setProperty("ApplicationName", config.applicationName());
    // Keep server-side details (which may quote row values) out of exception messages.
    driver.setProperty("logServerErrorDetail", "false");
    Duration statement = config.statementTimeout();
    if (!statement.isZero()) {
      driver.setProperty("options", "-c statement_timeout=" + statement.toMillis());
      long socketSeconds = statement.plus(SOCKET_GRACE).toSeconds() + 1;
      driver.setProperty(
          "socketTimeout", String.valueOf((int) Math.min(Integer.MAX_VALUE, socketSeconds)));
    }
    // hikaricp_connections_{active,idle,pending,timeout,...}{pool="storymagic-store"}: why the pool
    // is full.
    config
        .meterRegistry()
        .ifPresent(
            registry ->
                h.setMetricsTrackerFactory(
                    new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(
                        registry)));
    config.sslMode().ifPresent(mode -> driver.setProperty("sslmode", mode));
    config.sslRootCert().ifPresent(path -> driver.setProperty("sslrootcert", path.toString()));
    String url = config.effectiveJdbcUrl().orElseThrow();
    if (config.credentials().isPresent()) {
      // Credentials per connection from the provider, so a rotated password is picked up.
      h.setDataSource(new RotatingCredentialsDataSource(url, driver, config.credentials().get()));
    } else {
      h.setJdbcUrl(url);
      config.user().ifPresent(h::setUsername);
      config.password().ifPresent(h::setPassword);
      h.setDataSourceProperties(driver);
    }
    return h;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Closes idle connections now and busy ones when they are returned, as happens at the end of
   * their lifetime; the pool opens new ones as needed.
   */
  public void evictConnections() {
    dataSource.getHikariPoolMXBean().softEvictConnections();
  }

  @Override
  public void close() {
    dataSource.close();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    if (t instanceof SQLException sql && sql.getSQLState() != null) {
      message = "SQLState " + sql.getSQLState() + ": " + message;
    }
    if (message == null) {
      return t.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
