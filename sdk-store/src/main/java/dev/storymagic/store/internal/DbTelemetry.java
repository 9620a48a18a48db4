package dev.storymagic.store.internal;

import dev.storymagic.internal.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Metrics and spans of the store's database calls, named by statement (a PostgreSQL statement such
 * as {@code story.find}, or a Redis command's use such as {@code cache.get}) and never by text:
 * arguments, keys and values hold children's stories and never leave this class.
 *
 * <ul>
 *   <li>{@code db.client.operation.duration} (timer, p50/p95/p99): {@code db.system.name}, {@code
 *       db.operation.name}, {@code statement}, {@code outcome} ({@code success} or {@code error});
 *   <li>{@code db.client.rows} (counter): rows a statement returned or changed, by {@code
 *       statement};
 *   <li>{@code db.client.errors} (counter): failures by {@code statement} and {@code error.type}
 *       (SQLState, or the Redis exception's type);
 *   <li>a client span per call under the current recording span (database semantic conventions:
 *       {@code db.system.name}, {@code db.namespace}, {@code db.operation.name}, {@code
 *       db.query.summary}); none without a traced caller, so health checks start no traces.
 * </ul>
 *
 * PostgreSQL statements reach it through {@link JdbiTelemetry}, kept apart so that a Redis-only
 * application needs no Jdbi on its class path. Not API.
 */
public final class DbTelemetry {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DbTelemetry.class);
  public static final String DURATION = "db.client.operation.duration";
  public static final String ROWS = "db.client.rows";
  public static final String ERRORS = "db.client.errors";
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("db.namespace");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  private static final AttributeKey<String> SUMMARY = AttributeKey.stringKey("db.query.summary");

  private final String system;
  private final Optional<String> namespace;
  private final MeterRegistry registry;
  private final Tracing tracing;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  private DbTelemetry(
      String system,
      Optional<String> namespace,
      Optional<MeterRegistry> registry,
      Optional<OpenTelemetry> openTelemetry) {
    this.system = system;
    this.namespace = namespace;
    this.registry = registry.orElse(null);
    this.tracing = Tracing.of(openTelemetry, "dev.storymagic.store");
  }

  public static DbTelemetry postgres(
      Optional<String> database,
      Optional<MeterRegistry> registry,
      Optional<OpenTelemetry> openTelemetry) {
    return new DbTelemetry("postgresql", database, registry, openTelemetry);
  }

  public static DbTelemetry redis(
      Optional<MeterRegistry> registry, Optional<OpenTelemetry> openTelemetry) {
    return new DbTelemetry("redis", Optional.empty(), registry, openTelemetry);
  }

  // ---------------------------------------------------------------- Redis

  /**
   * Runs one Redis command: {@code command} is its name ({@code GET}), {@code use} what StoryMagic
   * sends it for ({@code cache.get}).
   */
  public <T> T command(String command, String use, Supplier<T> call) {
    Span span = start(use, command);
    long start = System.nanoTime();
    try {
      T result = call.get();
      record(use, command, "success", System.nanoTime() - start);
      return result;
    } catch (RuntimeException e) {
      record(use, command, "error", System.nanoTime() - start);
      error(use, e.getClass().getSimpleName(), span);
      throw e;
    } finally {
      span.end();
    }
  }

  // ---------------------------------------------------------------- shared

  Span start(String statement, String operation) {
    Span span = tracing.child(statement, SpanKind.CLIENT);
    if (span.isRecording()) {
      span.setAttribute(SYSTEM, system);
      namespace.ifPresent(n -> span.setAttribute(NAMESPACE, n));
      span.setAttribute(OPERATION, operation);
      span.setAttribute(SUMMARY, statement);
    }
    return span;
  }

  void record(String statement, String operation, String outcome, long nanos) {
    if (registry == null) {
      return;
    }
    try {
      timers
          .computeIfAbsent(
              statement + ' ' + operation + ' ' + outcome,
              k ->
                  Timer.builder(DURATION)
                      .description("Database statements and Redis commands, by statement name")
                      .tags(
                          "db.system.name",
                          system,
                          "db.operation.name",
                          operation,
                          "statement",
                          statement,
                          "outcome",
                          outcome)
                      .publishPercentiles(0.5, 0.95, 0.99)
                      .register(registry))
          .record(nanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // A registry that refuses the meter costs the measurement, never the statement.
      log.debug("could not record {} for {}: {}", DURATION, statement, e.toString());
    }
  }

  Counter rows(String statement) {
    if (registry == null) {
      return NO_COUNTER;
    }
    try {
      return counters.computeIfAbsent(
          "rows " + statement,
          k ->
              Counter.builder(ROWS)
                  .description("Rows returned or changed, by statement name")
                  .tags("db.system.name", system, "statement", statement)
                  .register(registry));
    } catch (RuntimeException e) {
      log.debug("could not count {} for {}: {}", ROWS, statement, e.toString());
      return NO_COUNTER;
    }
  }

  void error(String statement, String type, Span span) {
    Tracing.fail(span, null, type);
    if (registry != null) {
      try {
        counters
            .computeIfAbsent(
                "error " + statement + ' ' + type,
                k ->
                    Counter.builder(ERRORS)
                        .description("Failed database statements and Redis commands")
                        .tags("db.system.name", system, "statement", statement, "error.type", type)
                        .register(registry))
            .increment();
      } catch (RuntimeException e) {
        log.debug("could not count {} for {}: {}", ERRORS, statement, e.toString());
      }
    }
  }

  private static final Counter NO_COUNTER =
      new io.micrometer.core.instrument.noop.NoopCounter(
          new io.micrometer.core.instrument.Meter.Id(
              "none",
              io.micrometer.core.instrument.Tags.empty(),
              null,
              null,
              io.micrometer.core.instrument.Meter.Type.COUNTER));
}
