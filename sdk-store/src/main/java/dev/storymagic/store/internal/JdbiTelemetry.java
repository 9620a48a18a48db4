package dev.storymagic.store.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link DbTelemetry} for PostgreSQL through Jdbi's {@link SqlLogger}, so the duration covers the
 * statement itself, not the wait for a pooled connection (that is {@code
 * hikaricp_connections_acquire}). Statements are named with {@code .define(JdbiTelemetry.STATEMENT,
 * "story.find")}. Not API.
 */
public final class JdbiTelemetry implements SqlLogger {
  /** The Jdbi statement attribute that names a statement. */
  public static final String STATEMENT = "storymagic_statement";

  private static final String SPAN = "storymagic_span";
  private static final AttributeKey<Long> ROWS_ATTRIBUTE =
      AttributeKey.longKey("db.response.returned_rows");

  private final DbTelemetry telemetry;

  private JdbiTelemetry(DbTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  public static JdbiTelemetry postgres(
      Optional<String> database,
      Optional<MeterRegistry> registry,
      Optional<OpenTelemetry> openTelemetry) {
    return new JdbiTelemetry(DbTelemetry.postgres(database, registry, openTelemetry));
  }

  @Override
  public void logBeforeExecution(StatementContext ctx) {
    Span span = telemetry.start(statement(ctx), operation(ctx));
    if (span.getSpanContext().isValid()) {
      ctx.define(SPAN, span);
    }
  }

  @Override
  public void logAfterExecution(StatementContext ctx) {
    String statement = statement(ctx);
    telemetry.record(statement, operation(ctx), "success", ctx.getElapsedTime(ChronoUnit.NANOS));
    long changed = updateCount(ctx);
    if (changed > 0) {
      telemetry.rows(statement).increment((double) changed);
    }
    if (ctx.getAttribute(SPAN) instanceof Span span) {
      if (changed >= 0) {
        span.setAttribute(ROWS_ATTRIBUTE, changed);
      }
      span.end();
    }
  }

  @Override
  public void logException(StatementContext ctx, SQLException ex) {
    String statement = statement(ctx);
    telemetry.record(statement, operation(ctx), "error", ctx.getElapsedTime(ChronoUnit.NANOS));
    Span span = ctx.getAttribute(SPAN) instanceof Span s ? s : Span.getInvalid();
    telemetry.error(
        statement,
        ex.getSQLState() != null ? ex.getSQLState() : ex.getClass().getSimpleName(),
        span);
    span.end();
  }

  /** Counts the rows {@code mapper} maps into {@code db.client.rows} for the statement. */
  public <T> RowMapper<T> counted(RowMapper<T> mapper) {
    return (rs, ctx) -> {
      telemetry.rows(statement(ctx)).increment();
      return mapper.map(rs, ctx);
    };
  }

  private static String statement(StatementContext ctx) {
    return ctx.getAttribute(STATEMENT) instanceof String name ? name : "unnamed";
  }

  /** The statement's first keyword: SELECT, INSERT, UPDATE, DELETE. */
  private static String operation(StatementContext ctx) {
    String sql = ctx.getRawSql();
    if (sql == null) {
      return "UNKNOWN";
    }
    String trimmed = sql.stripLeading();
    int end = 0;
    while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
      end++;
    }
    return end == 0 ? "UNKNOWN" : trimmed.substring(0, end).toUpperCase(Locale.ROOT);
  }

  /** Rows an INSERT, UPDATE or DELETE changed; -1 for a query. */
  private static long updateCount(StatementContext ctx) {
    try {
      return ctx.getStatement() == null ? -1 : ctx.getStatement().getUpdateCount();
    } catch (SQLException | RuntimeException e) {
      return -1;
    }
  }
}
