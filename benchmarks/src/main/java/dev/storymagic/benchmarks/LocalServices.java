package dev.storymagic.benchmarks;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * The local PostgreSQL and Redis the store and cache benchmarks use. Each benchmark works under its
 * own random schema or key prefix and removes it afterwards. Overridable with the system properties
 * {@code storymagic.bench.postgres.url}, {@code storymagic.bench.postgres.user}, {@code
 * storymagic.bench.redis.host} and {@code storymagic.bench.redis.port}.
 */
final class LocalServices {
  static final String POSTGRES_URL =
      System.getProperty("storymagic.bench.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String POSTGRES_USER =
      System.getProperty("storymagic.bench.postgres.user", "postgres");
  static final String REDIS_HOST = System.getProperty("storymagic.bench.redis.host", "127.0.0.1");
  static final int REDIS_PORT = Integer.getInteger("storymagic.bench.redis.port", 6379);

  private LocalServices() {}

  /** A fresh lower-case name such as {@code bench_3f2a9c01d4e5}. */
  static String uniqueName(String prefix) {
    return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .toLowerCase(Locale.ROOT);
  }

  /** Fails with a clear message unless PostgreSQL answers. */
  static void requirePostgres(String benchmark) {
    try (Connection c = postgres()) {
      if (!c.isValid(2)) {
        throw new SQLException("the connection is not valid");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          benchmark
              + " needs PostgreSQL on "
              + POSTGRES_URL
              + " as "
              + POSTGRES_USER
              + " (trust auth): "
              + e.getMessage(),
          e);
    }
  }

  /** Fails with a clear message unless something listens on Redis's port. */
  static void requireRedis(String benchmark) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(REDIS_HOST, REDIS_PORT), 2000);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          benchmark + " needs Redis on " + REDIS_HOST + ":" + REDIS_PORT + ": " + e.getMessage(),
          e);
    }
  }

  static void dropSchema(String schema) {
    try (Connection c = postgres();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not drop the benchmark schema " + schema + ": " + e.getMessage(), e);
    }
  }

  private static Connection postgres() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", POSTGRES_USER);
    p.setProperty("connectTimeout", "3");
    return DriverManager.getConnection(POSTGRES_URL, p);
  }
}
