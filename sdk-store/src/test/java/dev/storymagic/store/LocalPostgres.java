package dev.storymagic.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The local PostgreSQL the integration tests use (127.0.0.1:5432, database {@code test}, user
 * {@code postgres}, trust auth). Each test class works in its own random schema and drops it.
 */
final class LocalPostgres {
  static final String URL =
      System.getProperty("storymagic.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = System.getProperty("storymagic.test.postgres.user", "postgres");

  private LocalPostgres() {}

  /** Fails with a clear message when the database is not running. */
  static void requireRunning() {
    try (Connection c = connect()) {
      c.isValid(2);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL must be running on "
              + URL
              + " as "
              + USER
              + " for the integration tests: "
              + e.getMessage(),
          e);
    }
  }

  static String randomSchema(String prefix) {
    return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .toLowerCase(Locale.ROOT);
  }

  static Connection connect() throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", USER);
    p.setProperty("connectTimeout", "3");
    return DriverManager.getConnection(URL, p);
  }

  static void execute(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run '" + sql + "': " + e.getMessage(), e);
    }
  }

  static long count(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run '" + sql + "': " + e.getMessage(), e);
    }
  }

  static void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
  }

  static PostgresConfig.Builder config(String schema) {
    return PostgresConfig.builder().jdbcUrl(URL).user(USER).schema(schema);
  }
}
