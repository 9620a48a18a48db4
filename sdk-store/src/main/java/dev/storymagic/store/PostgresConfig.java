package dev.storymagic.store;

import static dev.storymagic.store.internal.OptionChecks.checkPort;
import static dev.storymagic.store.internal.OptionChecks.checkPresent;
import static dev.storymagic.store.internal.OptionChecks.notBlank;
import static dev.storymagic.store.internal.OptionChecks.require;
import static dev.storymagic.store.internal.OptionChecks.requireText;
import static dev.storymagic.store.internal.OptionChecks.within;
import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link PostgresStoryStore} reaches PostgreSQL and what it keeps there.
 *
 * <pre>{@code
 * PostgresConfig database = PostgresConfig.custom()
 *     .host(System.getenv("DATABASE_HOST"))
 *     .user(System.getenv("DATABASE_USER"))
 *     .password(System.getenv("DATABASE_PASSWORD"))
 *     .build();
 * PostgresConfig reports = PostgresConfig.from(database).applicationName("storymagic-reports").build();
 * }</pre>
 *
 * <p>Connection: either a {@link Builder#jdbcUrl JDBC URL} or {@link Builder#host host}, port and
 * database (the reference server's {@code DATABASE_HOST}), plus {@link Builder#user user} and
 * {@link Builder#password password} (from Secrets Manager's {@code
 * storymagic/database-credentials}). For RDS use {@link Builder#sslMode sslMode("verify-full")}
 * with {@link Builder#sslRootCert the RDS CA bundle}.
 *
 * <p>Pool sizing: StoryMagic's RDS instance allows 200 connections and the service runs up to 4
 * tasks. The default of {@value #DEFAULT_MAX_POOL_SIZE} connections per task gives at most 160,
 * leaving 40 for rolling deployments' overlap, migrations, administrators and monitoring, and
 * staying below the deployment's alarm at 180 connections.
 *
 * <p>Every component is checked here, once, whichever way the value is made: the canonical
 * constructor throws {@link IllegalArgumentException} naming the component and its value (never a
 * password). {@link #toString()} never shows the password.
 *
 * @param jdbcUrl a PostgreSQL JDBC URL; exclusive with {@code host}
 * @param host the database host name or address
 * @param port the port with {@code host}
 * @param database the database name with {@code host}; absent means {@code postgres}
 * @param user the user name
 * @param password the password
 * @param credentials where each new connection's credentials come from, when they can change while
 *     the pool runs; exclusive with {@code user} and {@code password}
 * @param sslMode the driver's SSL mode (disable, require, verify-ca, verify-full, ...); absent
 *     means the driver's or the JDBC URL's
 * @param sslRootCert a PEM file of trusted certificate authorities, with a {@code verify-*} mode
 * @param maxPoolSize the most connections the pool opens
 * @param minIdle idle connections the pool keeps open, at most {@code maxPoolSize}
 * @param connectionTimeout the wait for a connection, from the pool or the network
 * @param statementTimeout the longest one SQL statement may run; zero means no limit
 * @param schema the schema holding StoryMagic's tables
 * @param auditText whether blocked-request audit rows keep the offending text
 * @param migrate whether the store runs the schema migrations when it is created
 * @param applicationName the {@code application_name} the connections report
 * @param meterRegistry where query, pool and error metrics go: {@code db.client.operation.duration}
 *     per statement name (with percentiles), rows and errors, and the HikariCP pool's {@code
 *     hikaricp_*} meters (active, idle, pending, timeouts) once the store opens its pool
 * @param openTelemetry where query spans go; absent means the global OpenTelemetry once the
 *     application set it
 */
public record PostgresConfig(
    Optional<String> jdbcUrl,
    Optional<String> host,
    int port,
    Optional<String> database,
    Optional<String> user,
    Optional<String> password,
    Optional<CredentialsProvider> credentials,
    Optional<String> sslMode,
    Optional<Path> sslRootCert,
    int maxPoolSize,
    int minIdle,
    Duration connectionTimeout,
    Duration statementTimeout,
    String schema,
    boolean auditText,
    boolean migrate,
    String applicationName,
    Optional<MeterRegistry> meterRegistry,
    Optional<OpenTelemetry> openTelemetry)
    implements StoreConnection {

  /** Default connections per pool: {@value}. */
  public static final int DEFAULT_MAX_POOL_SIZE = 40;

  /** Default idle connections kept open: {@value}. */
  public static final int DEFAULT_MIN_IDLE = 2;

  /** Default wait for a connection (pool or network): 3 seconds. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  /** Default limit on one SQL statement: 5 seconds. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);

  /** Default schema: {@value}. */
  public static final String DEFAULT_SCHEMA = "storymagic";

  /** Default PostgreSQL port: {@value}. */
  public static final int DEFAULT_PORT = 5432;

  private static final String DEFAULT_APPLICATION_NAME = "storymagic";
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  /**
   * Checks every component.
   *
   * @throws IllegalArgumentException naming the first component out of range, or the options that
   *     contradict each other: a JDBC URL with a host, port or database; a port or database without
   *     a host; credentials with a user or password; minIdle above maxPoolSize; an sslRootCert
   *     without sslMode verify-ca or verify-full
   */
  public PostgresConfig {
    jdbcUrl = checkPresent(jdbcUrl, "jdbcUrl", PostgresConfig::checkJdbcUrl);
    host = checkPresent(host, "host", h -> notBlank(h, "host"));
    checkPort(port);
    database = checkPresent(database, "database", PostgresConfig::checkDatabase);
    user = checkPresent(user, "user", u -> requireText(u, "user"));
    requireNonNull(password, "password");
    requireNonNull(credentials, "credentials");
    sslMode = checkPresent(sslMode, "sslMode", PostgresConfig::checkSslMode);
    requireNonNull(sslRootCert, "sslRootCert");
    within(maxPoolSize, 1, 200, "maxPoolSize");
    require(minIdle >= 0, "minIdle cannot be negative: %d", minIdle);
    checkConnectionTimeout(connectionTimeout);
    checkStatementTimeout(statementTimeout);
    checkSchema(schema);
    requireNonNull(applicationName, "applicationName");
    require(
        !applicationName.isBlank() && applicationName.length() <= 63,
        "applicationName must have 1 to 63 characters: '%s'",
        applicationName);
    requireNonNull(meterRegistry, "meterRegistry");
    requireNonNull(openTelemetry, "openTelemetry");
    require(
        jdbcUrl.isEmpty() || (host.isEmpty() && port == DEFAULT_PORT && database.isEmpty()),
        "set either jdbcUrl or host/port/database, not both");
    require(
        credentials.isEmpty() || (user.isEmpty() && password.isEmpty()),
        "set either credentials or user/password, not both");
    require(
        host.isPresent() || (port == DEFAULT_PORT && database.isEmpty()),
        "port and database need a host");
    require(
        minIdle <= maxPoolSize,
        "minIdle (%d) cannot exceed maxPoolSize (%d)",
        minIdle,
        maxPoolSize);
    require(
        sslRootCert.isEmpty() || sslMode.filter(mode -> mode.startsWith("verify")).isPresent(),
        "sslRootCert is only used with sslMode verify-ca or verify-full");
  }

  /** A builder with every default and no connection. */
  public static Builder custom() {
    return new Builder();
  }

  /** The same as {@link #custom()}. */
  public static Builder builder() {
    return custom();
  }

  /** A builder starting from {@code base}'s values, each of which may be changed once. */
  public static Builder from(PostgresConfig base) {
    return new Builder().copy(requireNonNull(base, "base"));
  }

  /**
   * A configuration with every default and no connection, for {@link
   * PostgresStoryStore#create(javax.sql.DataSource)}.
   */
  public static PostgresConfig ofDefaults() {
    return custom().build();
  }

  /** The same as {@link #ofDefaults()}. */
  public static PostgresConfig defaults() {
    return ofDefaults();
  }

  /** Whether this configuration says how to connect (a JDBC URL or a host). */
  public boolean hasConnection() {
    return jdbcUrl.isPresent() || host.isPresent();
  }

  /** The JDBC URL to connect with: the one given, or one made from host, port and database. */
  public Optional<String> effectiveJdbcUrl() {
    if (jdbcUrl.isPresent()) {
      return jdbcUrl;
    }
    return host.map(
        h ->
            "jdbc:postgresql://"
                + (h.contains(":") ? "[" + h + "]" : h)
                + ":"
                + port
                + "/"
                + database.orElse("postgres"));
  }

  /** Where this configuration connects, without credentials, for messages and logs. */
  public String describeTarget() {
    if (host.isPresent()) {
      return host.get() + ":" + port + "/" + database.orElse("postgres");
    }
    return jdbcUrl.map(PostgresConfig::redactUrl).orElse("a caller-provided DataSource");
  }

  @Override
  public String toString() {
    return StoreConnection.describe("PostgresConfig", describeTarget(), this)
        + (credentials.isPresent() ? ", credentials=" + credentials.get() : "")
        + ", sslMode="
        + sslMode.orElse("driver default")
        + ", maxPoolSize="
        + maxPoolSize
        + ", minIdle="
        + minIdle
        + ", connectionTimeout="
        + connectionTimeout
        + ", statementTimeout="
        + statementTimeout
        + ", schema="
        + schema
        + ", auditText="
        + auditText
        + ", migrate="
        + migrate
        + "}";
  }

  private static String redactUrl(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static String checkJdbcUrl(String jdbcUrl) {
    require(
        jdbcUrl.startsWith("jdbc:postgresql:"),
        "jdbcUrl must start with 'jdbc:postgresql:': %s",
        redactUrl(jdbcUrl));
    return jdbcUrl;
  }

  private static String checkDatabase(String database) {
    require(
        !database.isBlank() && !database.contains("/") && !database.contains("?"),
        "database must be a plain database name: '%s'",
        database);
    return database;
  }

  private static String checkSslMode(String sslMode) {
    require(SSL_MODES.contains(sslMode), "sslMode must be one of %s: %s", SSL_MODES, sslMode);
    return sslMode;
  }

  private static void checkConnectionTimeout(Duration timeout) {
    requireNonNull(timeout, "connectionTimeout");
    require(
        timeout.compareTo(MIN_CONNECTION_TIMEOUT) >= 0,
        "connectionTimeout must be at least 250 ms: %s",
        timeout);
  }

  private static void checkStatementTimeout(Duration timeout) {
    requireNonNull(timeout, "statementTimeout");
    require(
        timeout.isZero() || timeout.toMillis() >= 1,
        "statementTimeout must be zero or at least 1 ms: %s",
        timeout);
  }

  private static void checkSchema(String schema) {
    requireNonNull(schema, "schema");
    require(
        IDENTIFIER.matcher(schema).matches() && !schema.startsWith("pg_"),
        "schema must be a lower-case identifier of at most 63 letters, digits or underscores, not starting with pg_: '%s'",
        schema);
  }

  /**
   * Builds {@link PostgresConfig}. Every option has a default; setting one twice is an {@link
   * IllegalStateException}; values are checked by {@link #build()}.
   */
  public static final class Builder extends StoreConfigBuilder<Builder> {
    private String jdbcUrl;
    private String database;
    private CredentialsProvider credentials;
    private String sslMode;
    private Path sslRootCert;
    private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
    // Unset, it follows maxPoolSize down: a pool of one keeps at most one idle connection.
    private Integer minIdle;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private String schema = DEFAULT_SCHEMA;
    private boolean auditText;
    private boolean migrate = true;
    private String applicationName = DEFAULT_APPLICATION_NAME;

    private Builder() {
      super(null, DEFAULT_PORT);
    }

    private Builder copy(PostgresConfig c) {
      copyConnection(c);
      jdbcUrl = c.jdbcUrl().orElse(null);
      host = c.host().orElse(null);
      database = c.database().orElse(null);
      credentials = c.credentials().orElse(null);
      sslMode = c.sslMode().orElse(null);
      sslRootCert = c.sslRootCert().orElse(null);
      maxPoolSize = c.maxPoolSize();
      minIdle = c.minIdle();
      connectionTimeout = c.connectionTimeout();
      statementTimeout = c.statementTimeout();
      schema = c.schema();
      auditText = c.auditText();
      migrate = c.migrate();
      applicationName = c.applicationName();
      return this;
    }

    /**
     * A PostgreSQL JDBC URL such as {@code jdbc:postgresql://db:5432/storymagic}. Exclusive with
     * {@link #host}. Credentials are better given with {@link #user} and {@link #password} than in
     * the URL.
     */
    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = once.set("jdbcUrl", jdbcUrl);
      return this;
    }

    /** The database name. Default {@code postgres}. */
    public Builder database(String database) {
      this.database = once.set("database", database);
      return this;
    }

    /**
     * Credentials looked up for every new connection, and looked up again when PostgreSQL refuses
     * them, so a password rotated in Secrets Manager ({@link SecretsManagerCredentials}) is picked
     * up by the running pool. Exclusive with {@link #user} and {@link #password}.
     */
    public Builder credentials(CredentialsProvider credentials) {
      this.credentials = once.set("credentials", credentials);
      return this;
    }

    /**
     * The driver's {@code sslmode}: {@code disable}, {@code allow}, {@code prefer}, {@code
     * require}, {@code verify-ca} or {@code verify-full}. For RDS use {@code verify-full} with
     * {@link #sslRootCert}. Default: the driver's ({@code prefer}) or the JDBC URL's.
     */
    @SuppressWarnings("InvalidParam") // {@code sslmode} names the driver's setting
    public Builder sslMode(String sslMode) {
      this.sslMode = once.set("sslMode", sslMode);
      return this;
    }

    /** A PEM file of trusted certificate authorities, such as the RDS global bundle. */
    public Builder sslRootCert(Path sslRootCert) {
      this.sslRootCert = once.set("sslRootCert", sslRootCert);
      return this;
    }

    /**
     * The most connections the pool opens, 1 to 200. Default {@value
     * PostgresConfig#DEFAULT_MAX_POOL_SIZE} (see the class documentation for the arithmetic).
     */
    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = once.set("maxPoolSize", maxPoolSize);
      return this;
    }

    /**
     * Idle connections the pool keeps open, 0 to {@link #maxPoolSize}. Default {@value
     * PostgresConfig#DEFAULT_MIN_IDLE}, or the pool size when that is smaller.
     */
    public Builder minIdle(int minIdle) {
      this.minIdle = once.set("minIdle", minIdle);
      return this;
    }

    /**
     * How long to wait for a connection, from the pool or the network, before failing with a {@link
     * dev.storymagic.StoryMagicException.StorageFailure}: at least 250 ms. Default 3 seconds.
     */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = once.set("connectionTimeout", timeout);
      return this;
    }

    /**
     * The longest one SQL statement may run before PostgreSQL cancels it; zero means no limit,
     * otherwise at least 1 ms. Default 5 seconds.
     */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = once.set("statementTimeout", timeout);
      return this;
    }

    /**
     * The schema holding StoryMagic's tables, created by the migrations if absent: a lower-case SQL
     * identifier (letters, digits, underscores). Default {@value PostgresConfig#DEFAULT_SCHEMA}.
     */
    public Builder schema(String schema) {
      this.schema = once.set("schema", schema);
      return this;
    }

    /**
     * Keep the offending text in blocked-request audit rows when the pipeline supplies it. Default
     * false: only categories, stage and time are stored, whatever the pipeline passes.
     */
    public Builder auditText(boolean auditText) {
      this.auditText = once.set("auditText", auditText);
      return this;
    }

    /**
     * Run the schema migrations when the store is created. Default true; turn off where migrations
     * run as a separate deployment step.
     */
    public Builder migrate(boolean migrate) {
      this.migrate = once.set("migrate", migrate);
      return this;
    }

    /**
     * The {@code application_name} the connections report to PostgreSQL, 1 to 63 characters.
     * Default {@code storymagic}.
     */
    public Builder applicationName(String applicationName) {
      this.applicationName = once.set("applicationName", applicationName);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException naming an option out of range, or options that contradict
     *     each other (see {@link PostgresConfig})
     */
    public PostgresConfig build() {
      return new PostgresConfig(
          Optional.ofNullable(jdbcUrl),
          Optional.ofNullable(host),
          port,
          Optional.ofNullable(database),
          Optional.ofNullable(user),
          Optional.ofNullable(password),
          Optional.ofNullable(credentials),
          Optional.ofNullable(sslMode),
          Optional.ofNullable(sslRootCert),
          maxPoolSize,
          minIdle != null ? minIdle : Math.min(DEFAULT_MIN_IDLE, maxPoolSize),
          connectionTimeout,
          statementTimeout,
          schema,
          auditText,
          migrate,
          applicationName,
          Optional.ofNullable(meterRegistry),
          Optional.ofNullable(openTelemetry));
    }
  }
}
