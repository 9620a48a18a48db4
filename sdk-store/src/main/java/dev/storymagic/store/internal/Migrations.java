package dev.storymagic.store.internal;

import dev.storymagic.StoryMagicException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the store's schema with Flyway. Safe when several servers start at once: the
 * schema is created under a transaction-scoped advisory lock, and Flyway serialises the migrations
 * themselves with its own PostgreSQL advisory lock. Not API.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** Where the versioned SQL migrations live on the class path. */
  public static final String LOCATION = "classpath:dev/storymagic/store/migration";

  /** How long a starting server waits for another one's migration: Flyway retries once a second. */
  private static final int LOCK_RETRIES = 120;

  private Migrations() {}

  /**
   * Brings {@code schema} to the newest version.
   *
   * @throws StoryMagicException.StorageFailure if the database refuses or the migrations fail
   */
  public static void run(DataSource dataSource, String schema, String target) {
    try {
      createSchema(dataSource, schema);
      MigrateResult result =
          Flyway.configure(Migrations.class.getClassLoader())
              .dataSource(dataSource)
              .schemas(schema)
              .defaultSchema(schema)
              .createSchemas(false)
              .locations(LOCATION)
              .lockRetryCount(LOCK_RETRIES)
              .failOnMissingLocations(true)
              .load()
              .migrate();
      if (result.migrationsExecuted > 0) {
        log.info(
            "migrated schema {} to version {} ({} migration(s))",
            schema,
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
    } catch (FlywayException e) {
      throw new StoryMagicException.StorageFailure(
          "PostgreSQL migrations of schema "
              + schema
              + " on "
              + target
              + " failed: "
              + PostgresPool.rootMessage(e),
          e);
    } catch (SQLException e) {
      throw new StoryMagicException.StorageFailure(
          "PostgreSQL at "
              + target
              + ": could not create schema "
              + schema
              + ": "
              + PostgresPool.rootMessage(e),
          e);
    }
  }

  /**
   * Creates the schema if absent. Concurrent {@code CREATE SCHEMA IF NOT EXISTS} can still collide
   * in the catalog, so creators queue on an advisory lock held until their transaction ends.
   */
  private static void createSchema(DataSource dataSource, String schema) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (exists(c, schema)) {
        return;
      }
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        try (PreparedStatement lock =
            c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
          lock.setString(1, "storymagic.schema." + schema);
          lock.execute();
        }
        if (!exists(c, schema)) {
          try (PreparedStatement create = c.prepareStatement("CREATE SCHEMA \"" + schema + "\"")) {
            create.execute();
          }
          log.info("created schema {}", schema);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private static boolean exists(Connection c, String schema) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      q.setString(1, schema);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }
}
