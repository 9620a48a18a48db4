package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AgeGroup;
import dev.storymagic.ComponentHealth;
import dev.storymagic.SafetyCategory;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.OwnerExport;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.store.internal.Cursor;
import dev.storymagic.store.internal.JdbiTelemetry;
import dev.storymagic.store.internal.Migrations;
import dev.storymagic.store.internal.PostgresPool;
import dev.storymagic.store.internal.StoryCodec;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StoryStore} in PostgreSQL 15 or later, through Jdbi and (when it owns its pool)
 * HikariCP.
 *
 * <p>Each story is one row: its versioned JSON document plus the columns queries use (id, owner,
 * creation time, idempotency key, title). Lists are keyset pages on {@code (created_at DESC, id
 * DESC)}; idempotency keys are unique per owner in the database, so concurrent duplicates yield one
 * story. The schema is created and upgraded by versioned migrations when the store is created;
 * several servers may start at once.
 *
 * <p>Story ids must be UUIDs (as the pipeline makes them). Every failure of the database, the pool
 * or a stored document is reported as a {@link StoryMagicException.StorageFailure}; nothing from
 * JDBC escapes.
 */
public final class PostgresStoryStore implements StoryStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresStoryStore.class);
  private static final int MAX_LIMIT = 100;
  private static final int HEALTH_TIMEOUT_SECONDS = 1;
  private static final int MAX_KEY_LENGTH = 1024;

  private final Jdbi jdbi;
  private final Optional<AutoCloseable> ownedPool;
  private final String story;
  private final String blocked;
  private final boolean auditText;
  private final String target;
  private final Clock clock = Clock.systemUTC();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final JdbiTelemetry telemetry;

  private PostgresStoryStore(
      DataSource dataSource,
      Optional<AutoCloseable> ownedPool,
      PostgresConfig config,
      String target) {
    this.ownedPool = ownedPool;
    this.target = target;
    this.auditText = config.auditText();
    this.story = "\"" + config.schema() + "\".story";
    this.blocked = "\"" + config.schema() + "\".blocked_request";
    this.jdbi = Jdbi.create(dataSource);
    jdbi.installPlugin(new PostgresPlugin());
    // Failures name the statement, never its arguments (they hold children's stories).
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
    this.telemetry =
        JdbiTelemetry.postgres(config.database(), config.meterRegistry(), config.openTelemetry());
    jdbi.getConfig(SqlStatements.class).setSqlLogger(telemetry);
    if (!config.statementTimeout().isZero()) {
      // A client-side backstop; a pool this store owns also sets statement_timeout on the server.
      long seconds = Math.max(1, (config.statementTimeout().toMillis() + 999) / 1000);
      jdbi.getConfig(SqlStatements.class)
          .setQueryTimeout((int) Math.min(Integer.MAX_VALUE, seconds + 1));
    }
  }

  /**
   * A store with its own connection pool, made from {@code config}; runs the migrations unless
   * {@link PostgresConfig.Builder#migrate(boolean) disabled}. Close it to release the pool.
   *
   * @throws IllegalArgumentException if {@code config} has neither a JDBC URL nor a host
   * @throws StoryMagicException.StorageFailure if the database cannot be reached within the
   *     connection timeout or the migrations fail
   */
  public static PostgresStoryStore create(PostgresConfig config) {
    requireNonNull(config, "config");
    if (!config.hasConnection()) {
      throw new IllegalArgumentException(
          "PostgresConfig needs a jdbcUrl or a host for the store to open its own pool");
    }
    PostgresPool pool = PostgresPool.open(config);
    try {
      return start(pool.dataSource(), Optional.of(pool), config, config.describeTarget());
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * A store over the application's own {@code dataSource}, with every default of {@link
   * PostgresConfig}.
   */
  public static PostgresStoryStore create(DataSource dataSource) {
    return create(dataSource, PostgresConfig.ofDefaults());
  }

  /**
   * A store over the application's own {@code dataSource} (not closed by {@link #close()}), using
   * {@code settings} for the schema, statement timeout, text auditing and migrations. The statement
   * timeout is enforced on the client side here; configure the pool's own timeouts too.
   *
   * @throws IllegalArgumentException if {@code settings} also says how to connect
   * @throws StoryMagicException.StorageFailure if the migrations fail
   */
  public static PostgresStoryStore create(DataSource dataSource, PostgresConfig settings) {
    requireNonNull(dataSource, "dataSource");
    requireNonNull(settings, "settings");
    if (settings.hasConnection()) {
      throw new IllegalArgumentException(
          "with a caller-provided DataSource the settings must not name a connection (jdbcUrl/host would be ignored)");
    }
    return start(dataSource, Optional.empty(), settings, "a caller-provided DataSource");
  }

  private static PostgresStoryStore start(
      DataSource dataSource, Optional<AutoCloseable> pool, PostgresConfig config, String target) {
    if (config.migrate()) {
      Migrations.run(dataSource, config.schema(), target);
    }
    PostgresStoryStore store = new PostgresStoryStore(dataSource, pool, config, target);
    log.info("PostgreSQL story store ready on {} (schema {})", target, config.schema());
    return store;
  }

  // ---------------------------------------------------------------- stories

  /**
   * {@inheritDoc}
   *
   * <p>Saving a story whose id the same owner already stored replaces it, as the in-memory store
   * does; an id stored by another owner is refused.
   *
   * @throws IllegalArgumentException if the story has no owner or its id is not a UUID
   */
  @Override
  public Story save(Story s) {
    requireNonNull(s, "story");
    String owner =
        checkOwner(
            s.owner()
                .orElseThrow(() -> new IllegalArgumentException("a stored story needs an owner")));
    UUID id =
        parseId(s.id())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "story id must be a UUID: '" + abbreviate(s.id()) + "'"));
    Optional<String> key = s.request().idempotencyKey();
    key.ifPresent(k -> checkKey(k, "idempotency key"));
    String body = StoryCodec.toJson(s);
    OffsetDateTime createdAt = micros(s.createdAt());
    String title = s.title().replace("\u0000", "");
    Map<String, Object> row = new HashMap<>();
    row.put("id", id);
    row.put("owner", owner);
    row.put("createdAt", timestamp(createdAt));
    row.put("key", key.orElse(null));
    row.put("title", title);
    row.put("version", (short) StoryCodec.FORMAT_VERSION);
    row.put("body", body);
    return run(
        "save a story",
        () -> {
          for (int round = 0; round < 3; round++) {
            int inserted =
                write(
                    "story.insert",
                    "INSERT INTO "
                        + story
                        + " (id, owner, created_at, idempotency_key, title, format_version, body)"
                        + " VALUES (:id, :owner, :createdAt, :key, :title, :version, CAST(:body AS json))"
                        + " ON CONFLICT DO NOTHING",
                    row);
            if (inserted == 1) {
              return s;
            }
            // A conflict: the owner's idempotency key is taken (return the first story), or the id
            // exists.
            if (key.isPresent()) {
              Optional<Story> first = findByIdempotencyKey(owner, key.get());
              if (first.isPresent()) {
                return first.get();
              }
            }
            int replaced =
                write(
                    "story.replace",
                    "UPDATE "
                        + story
                        + " SET created_at = :createdAt, idempotency_key = :key, title = :title,"
                        + " format_version = :version, body = CAST(:body AS json) WHERE id = :id AND owner = :owner",
                    row);
            if (replaced == 1) {
              return s;
            }
            boolean idTaken =
                jdbi.withHandle(
                    h ->
                        h.createQuery("SELECT EXISTS (SELECT 1 FROM " + story + " WHERE id = :id)")
                            .define(JdbiTelemetry.STATEMENT, "story.id_taken")
                            .bind("id", id)
                            .mapTo(Boolean.class)
                            .one());
            if (idTaken) {
              throw new StoryMagicException.StorageFailure(
                  "PostgreSQL story store: story id " + id + " is already used by another owner",
                  null);
            }
            // The conflicting row was deleted in between: try again.
          }
          throw new StoryMagicException.StorageFailure(
              "PostgreSQL story store: could not save a story after 3 conflicting attempts", null);
        });
  }

  @Override
  public Optional<Story> find(String owner, String id) {
    return storedId(owner, id)
        .flatMap(
            uuid ->
                findOne(
                    "find a story",
                    "story.find",
                    "id = :id AND owner = :owner",
                    Map.of("id", uuid, "owner", owner)));
  }

  @Override
  public Optional<Story> findByIdempotencyKey(String owner, String idempotencyKey) {
    requireNonNull(owner, "owner");
    requireNonNull(idempotencyKey, "idempotencyKey");
    if (owner.indexOf('\u0000') >= 0 || idempotencyKey.indexOf('\u0000') >= 0) {
      return Optional.empty();
    }
    return findOne(
        "find a story by idempotency key",
        "story.find_by_idempotency_key",
        "owner = :owner AND idempotency_key = :key",
        Map.of("owner", owner, "key", idempotencyKey));
  }

  /** The one story of the rows {@code where} selects, its named arguments bound. */
  private Optional<Story> findOne(
      String operation, String statement, String where, Map<String, ?> arguments) {
    return run(
        operation,
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT id, body FROM " + story + " WHERE " + where)
                        .define(JdbiTelemetry.STATEMENT, statement)
                        .bindMap(arguments)
                        .map(telemetry.counted((rs, ctx) -> decode(rs)))
                        .findOne()));
  }

  @Override
  public StoryPage list(String owner, Optional<String> cursor, int limit) {
    requireNonNull(owner, "owner");
    requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ": " + limit);
    }
    Optional<Cursor> after = cursor.map(Cursor::decode);
    if (owner.indexOf('\u0000') >= 0) {
      return new StoryPage(List.of(), Optional.empty());
    }
    record Row(Story story, Cursor position) {}
    List<Row> rows =
        run(
            "list stories",
            () ->
                jdbi.withHandle(
                    h -> {
                      Query query =
                          h.createQuery(
                                  "SELECT id, created_at, body FROM "
                                      + story
                                      + " WHERE owner = :owner"
                                      + (after.isPresent()
                                          ? " AND (created_at, id) < (:afterTime, :afterId)"
                                          : "")
                                      + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                              .define(JdbiTelemetry.STATEMENT, "story.list")
                              .bind("owner", owner)
                              .bind("limit", limit + 1);
                      after.ifPresent(
                          c ->
                              query
                                  .bind("afterTime", timestamp(micros(c.createdAt())))
                                  .bind("afterId", c.id()));
                      return query
                          .map(
                              telemetry.counted(
                                  (rs, ctx) ->
                                      new Row(
                                          decode(rs),
                                          new Cursor(
                                              rs.getObject("created_at", OffsetDateTime.class)
                                                  .toInstant(),
                                              rs.getObject("id", UUID.class)))))
                          .list();
                    }));
    boolean more = rows.size() > limit;
    List<Row> page = more ? rows.subList(0, limit) : rows;
    Optional<String> next =
        more ? Optional.of(page.get(page.size() - 1).position().encode()) : Optional.empty();
    return new StoryPage(page.stream().map(Row::story).toList(), next);
  }

  @Override
  public boolean delete(String owner, String id) {
    return storedId(owner, id)
        .map(
            uuid ->
                run(
                    "delete a story",
                    () ->
                        jdbi.withHandle(
                                h ->
                                    h.createUpdate(
                                            "DELETE FROM "
                                                + story
                                                + " WHERE id = :id AND owner = :owner")
                                        .define(JdbiTelemetry.STATEMENT, "story.delete")
                                        .bind("id", uuid)
                                        .bind("owner", owner)
                                        .execute())
                            == 1))
        .orElse(false);
  }

  @Override
  public long deleteOwner(String owner) {
    requireNonNull(owner, "owner");
    if (owner.indexOf('\u0000') >= 0) {
      return 0;
    }
    long removed =
        run(
            "erase an owner's data",
            () ->
                jdbi.inTransaction(
                    h -> {
                      int stories =
                          h.createUpdate("DELETE FROM " + story + " WHERE owner = :owner")
                              .define(JdbiTelemetry.STATEMENT, "owner.delete_stories")
                              .bind("owner", owner)
                              .execute();
                      h.createUpdate("DELETE FROM " + blocked + " WHERE owner = :owner")
                          .define(JdbiTelemetry.STATEMENT, "owner.delete_blocked")
                          .bind("owner", owner)
                          .execute();
                      return (long) stories;
                    }));
    log.info("erased an owner's data: {} stories", removed);
    return removed;
  }

  @Override
  public OwnerExport export(String owner) {
    requireNonNull(owner, "owner");
    if (owner.indexOf('\u0000') >= 0) {
      return new OwnerExport(owner, List.of(), List.of(), clock.instant());
    }
    // One repeatable-read transaction: stories and audit rows from the same moment.
    return run(
        "export an owner's data",
        () ->
            jdbi.inTransaction(
                org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ,
                h -> {
                  List<Story> stories =
                      h.createQuery(
                              "SELECT id, body FROM "
                                  + story
                                  + " WHERE owner = :owner ORDER BY created_at DESC, id DESC")
                          .define(JdbiTelemetry.STATEMENT, "owner.export_stories")
                          .bind("owner", owner)
                          .map(telemetry.counted((rs, ctx) -> decode(rs)))
                          .list();
                  List<BlockedRequest> rows =
                      h.createQuery(
                              "SELECT owner, stage, categories, age_group, theme, policy_version,"
                                  + " blocked_at, blocked_text FROM "
                                  + blocked
                                  + " WHERE owner = :owner ORDER BY blocked_at DESC, id DESC")
                          .define(JdbiTelemetry.STATEMENT, "owner.export_blocked")
                          .bind("owner", owner)
                          .map(telemetry.counted((rs, ctx) -> blockedRow(rs)))
                          .list();
                  return new OwnerExport(owner, stories, rows, clock.instant());
                }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The text is stored only when {@link PostgresConfig.Builder#auditText(boolean) enabled};
   * otherwise it is dropped even if present.
   */
  @Override
  public void recordBlocked(BlockedRequest b) {
    requireNonNull(b, "blocked");
    Optional<String> text =
        auditText ? b.text().map(t -> t.replace("\u0000", "")) : Optional.empty();
    String owner = b.owner().map(o -> o.replace("\u0000", "")).orElse(null);
    List<String> categories = b.categories().stream().sorted().map(SafetyCategory::name).toList();
    run(
        "record a blocked request",
        () ->
            jdbi.withHandle(
                h ->
                    h.createUpdate(
                            "INSERT INTO "
                                + blocked
                                + " (owner, stage, categories, age_group, theme, policy_version, blocked_at, blocked_text)"
                                + " VALUES (:owner, :stage, :categories, :ageGroup, :theme, :policy, :at, :text)")
                        .define(JdbiTelemetry.STATEMENT, "blocked.insert")
                        .bind("owner", owner)
                        .bind("stage", b.stage().name())
                        .bindArray("categories", String.class, categories)
                        .bind("ageGroup", b.ageGroup().name())
                        .bind("theme", b.theme().replace("\u0000", ""))
                        .bind("policy", b.policyVersion().replace("\u0000", ""))
                        .bind("at", timestamp(micros(b.at())))
                        .bind("text", text.orElse(null))
                        .execute()));
  }

  /** Runs {@code SELECT 1} with a one-second limit. */
  @Override
  public ComponentHealth health() {
    if (closed.get()) {
      return ComponentHealth.down("store closed");
    }
    try {
      jdbi.withHandle(
          h ->
              h.createQuery("SELECT 1")
                  .define(JdbiTelemetry.STATEMENT, "health.ping")
                  .setQueryTimeout(HEALTH_TIMEOUT_SECONDS)
                  .mapTo(Integer.class)
                  .one());
      return ComponentHealth.up("postgresql");
    } catch (JdbiException e) {
      return ComponentHealth.down("postgresql unreachable: " + summary(e));
    }
  }

  /** Closes the pool this store opened; a caller-provided DataSource is left open. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownedPool.isPresent()) {
      try {
        ownedPool.get().close();
      } catch (Exception e) {
        log.warn("closing the PostgreSQL pool failed: {}", e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private <T> T run(String operation, Supplier<T> work) {
    if (closed.get()) {
      throw new StoryMagicException.StorageFailure(
          "PostgreSQL story store is closed; could not " + operation, null);
    }
    try {
      return work.get();
    } catch (JdbiException e) {
      throw new StoryMagicException.StorageFailure(
          "PostgreSQL story store on "
              + target
              + ": could not "
              + operation
              + " ("
              + summary(e)
              + ")",
          e);
    } catch (StoryCodec.UnsupportedFormatException | StoryCodec.MalformedStoryException e) {
      throw new StoryMagicException.StorageFailure(
          "PostgreSQL story store: could not " + operation + ": " + e.getMessage(), e);
    }
  }

  /** The SQL state and the driver's first line, never the statement's arguments. */
  private static String summary(Throwable e) {
    Throwable t = e;
    while (t != null && !(t instanceof SQLException)) {
      t = t.getCause();
    }
    if (t == null) {
      return e.getClass().getSimpleName();
    }
    SQLException sql = (SQLException) t;
    String message = String.valueOf(sql.getMessage());
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline);
    return (sql.getSQLState() != null ? "SQLState " + sql.getSQLState() + ": " : "")
        + abbreviate(message);
  }

  private static Story decode(ResultSet rs) throws SQLException {
    String json = rs.getString("body");
    try {
      return StoryCodec.fromJson(json);
    } catch (StoryCodec.UnsupportedFormatException e) {
      throw new StoryCodec.UnsupportedFormatException(
          e.version(), "story " + rs.getString("id") + ": " + e.getMessage());
    }
  }

  private static BlockedRequest blockedRow(ResultSet rs) throws SQLException {
    Set<SafetyCategory> categories = EnumSet.noneOf(SafetyCategory.class);
    Array array = rs.getArray("categories");
    for (Object c : (Object[]) array.getArray()) {
      categories.add(SafetyCategory.valueOf((String) c));
    }
    return new BlockedRequest(
        Optional.ofNullable(rs.getString("owner")),
        SafetyStage.valueOf(rs.getString("stage")),
        categories,
        AgeGroup.valueOf(rs.getString("age_group")),
        rs.getString("theme"),
        rs.getString("policy_version"),
        rs.getObject("blocked_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getString("blocked_text")));
  }

  /**
   * The row id {@code owner}'s story {@code id} would be stored under; empty when no row can match:
   * the id is not a UUID, or the owner holds a NUL, which PostgreSQL text cannot.
   */
  private static Optional<UUID> storedId(String owner, String id) {
    requireNonNull(owner, "owner");
    Optional<UUID> uuid = parseId(requireNonNull(id, "id"));
    return owner.indexOf('\u0000') >= 0 ? Optional.empty() : uuid;
  }

  private static Optional<UUID> parseId(String id) {
    if (id.length() != 36) {
      return Optional.empty();
    }
    try {
      UUID uuid = UUID.fromString(id);
      return uuid.toString().equalsIgnoreCase(id) ? Optional.of(uuid) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String checkOwner(String owner) {
    return checkKey(owner, "owner");
  }

  private static String checkKey(String value, String what) {
    if (value.isEmpty() || value.length() > MAX_KEY_LENGTH || value.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          what + " must have 1 to " + MAX_KEY_LENGTH + " characters and no NUL");
    }
    return value;
  }

  /**
   * PostgreSQL keeps microseconds; the row columns are truncated, the JSON document keeps the exact
   * instant.
   */
  private static OffsetDateTime micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  private static Argument timestamp(OffsetDateTime value) {
    return (position, statement, ctx) -> {
      if (value == null) {
        statement.setNull(position, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        statement.setObject(position, value);
      }
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  /** Runs one insert or update of a story row, binding every column from {@code row}. */
  private int write(String statement, String sql, Map<String, Object> row) {
    return jdbi.withHandle(
        h -> h.createUpdate(sql).define(JdbiTelemetry.STATEMENT, statement).bindMap(row).execute());
  }
}
