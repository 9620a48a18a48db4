package dev.storymagic.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The local PostgreSQL ({@code 127.0.0.1:5432}, database {@code test}, user {@code postgres}
 * without a password) and Redis ({@code 127.0.0.1:6379}) the integration tests run the server
 * against, each test in its own schema and under its own key prefix.
 */
final class LocalServices {
  static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";

  private LocalServices() {}

  /** Fails, saying what the tests need, unless PostgreSQL answers. */
  static void requirePostgres() {
    try (Connection c = DriverManager.getConnection(JDBC, "postgres", "")) {
      c.createStatement().execute("select 1");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "these tests need PostgreSQL on 127.0.0.1:5432 (user postgres without a password, db"
              + " test): "
              + e.getMessage(),
          e);
    }
  }

  /** Fails, saying what the tests need, unless Redis answers. */
  static void requireRedis() {
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", 6379)) {
      jedis.ping();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "these tests need Redis on 127.0.0.1:6379: " + e.getMessage(), e);
    }
  }

  /** The server's variables for the local database in {@code schema}. */
  static void putDatabase(Map<String, String> env, String schema) {
    env.put("DATABASE_URL", JDBC);
    env.put("DATABASE_CREDENTIALS", "{\"username\":\"postgres\",\"password\":\"\"}");
    env.put("DATABASE_SCHEMA", schema);
    env.put("DATABASE_SSL_MODE", "disable");
  }

  /** The server's variables for the local Redis, its keys under {@code keyPrefix}. */
  static void putRedis(Map<String, String> env, String keyPrefix) {
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_KEY_PREFIX", keyPrefix);
  }

  /** Removes what a test left in the local database and Redis. */
  static void clean(String schema, String keyPrefix) throws SQLException {
    try (Connection c = DriverManager.getConnection(JDBC, "postgres", "")) {
      c.createStatement().execute("drop schema if exists " + schema + " cascade");
    }
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", 6379)) {
      for (String key : jedis.keys(keyPrefix + "*")) {
        jedis.del(key);
      }
    }
  }
}
