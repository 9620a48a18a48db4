package dev.storymagic.store;

import static dev.storymagic.store.internal.OptionChecks.notBlank;
import static dev.storymagic.store.internal.OptionChecks.once;
import static dev.storymagic.store.internal.OptionChecks.require;
import static dev.storymagic.store.internal.OptionChecks.within;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link PostgresStoryStore} reaches PostgreSQL and what it keeps there. Immutable; build one
 * with {@link #builder()}.
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
 */
public final class PostgresConfig {
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

  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  private final Optional<String> jdbcUrl;
  private final Optional<String> host;
  private final int port;
  private final Optional<String> database;
  private final Optional<String> user;
  private final Optional<String> password;
  private final Optional<CredentialsProvider> credentials;
  private final Optional<String> sslMode;
  private final Optional<Path> sslRootCert;
  private final int maxPoolSize;
  private final int minIdle;
  private final Duration connectionTimeout;
  private final Duration statementTimeout;
  private final String schema;
  private final boolean auditText;
  private final boolean migrate;
  private final String applicationName;
  private final Optional<io.micrometer.core.instrument.MeterRegistry> meterRegistry;
  private final Optional<io.opentelemetry.api.OpenTelemetry> openTelemetry;

  private PostgresConfig(Builder b) {
    this.jdbcUrl = Optional.ofNullable(b.jdbcUrl);
    this.host = Optional.ofNullable(b.host);
    this.port = b.port != null ? b.port : DEFAULT_PORT;
    this.database = Optional.ofNullable(b.database);
    this.user = Optional.ofNullable(b.user);
    this.password = Optional.ofNullable(b.password);
    this.credentials = Optional.ofNullable(b.credentials);
    this.sslMode = Optional.ofNullable(b.sslMode);
    this.sslRootCert = Optional.ofNullable(b.sslRootCert);
    this.maxPoolSize = b.maxPoolSize != null ? b.maxPoolSize : DEFAULT_MAX_POOL_SIZE;
    this.minIdle = b.minIdle != null ? b.minIdle : Math.min(DEFAULT_MIN_IDLE, maxPoolSize);
    this.connectionTimeout =
        b.connectionTimeout != null ? b.connectionTimeout : DEFAULT_CONNECTION_TIMEOUT;
    this.statementTimeout =
        b.statementTimeout != null ? b.statementTimeout : DEFAULT_STATEMENT_TIMEOUT;
    this.schema = b.schema != null ? b.schema : DEFAULT_SCHEMA;
    this.auditText = b.auditText != null && b.auditText;
    this.migrate = b.migrate == null || b.migrate;
    this.applicationName = b.applicationName != null ? b.applicationName : "storymagic";
    this.meterRegistry = Optional.ofNullable(b.meterRegistry);
    this.openTelemetry = Optional.ofNullable(b.openTelemetry);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A configuration with every default and no connection, for {@link
   * PostgresStoryStore#create(javax.sql.DataSource)}.
   */
  public static PostgresConfig defaults() {
    return builder().build();
  }

  public Optional<String> jdbcUrl() {
    return jdbcUrl;
  }

  public Optional<String> host() {
    return host;
  }

  public int port() {
    return port;
  }

  public Optional<String> database() {
    return database;
  }

  public Optional<String> user() {
    return user;
  }

  /** The password, if one was set. Never printed by {@link #toString()}. */
  public Optional<String> password() {
    return password;
  }

  /**
   * Where each new connection's credentials come from, when they can change while the pool runs.
   */
  public Optional<CredentialsProvider> credentials() {
    return credentials;
  }

  public Optional<String> sslMode() {
    return sslMode;
  }

  public Optional<Path> sslRootCert() {
    return sslRootCert;
  }

  public int maxPoolSize() {
    return maxPoolSize;
  }

  public int minIdle() {
    return minIdle;
  }

  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** The statement limit; zero means none. */
  public Duration statementTimeout() {
    return statementTimeout;
  }

  public String schema() {
    return schema;
  }

  public boolean auditText() {
    return auditText;
  }

  public boolean migrate() {
    return migrate;
  }

  public String applicationName() {
    return applicationName;
  }

  /** Where query, pool and error metrics go, when set. */
  public Optional<io.micrometer.core.instrument.MeterRegistry> meterRegistry() {
    return meterRegistry;
  }

  /**
   * Where query spans go, when set; otherwise the global OpenTelemetry once the application set it.
   */
  public Optional<io.opentelemetry.api.OpenTelemetry> openTelemetry() {
    return openTelemetry;
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

  private static String redactUrl(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  @Override
  public String toString() {
    return "PostgresConfig{target="
        + describeTarget()
        + ", user="
        + user.orElse("-")
        + ", password="
        + (password.isPresent() ? "****" : "-")
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

  /** Builds {@link PostgresConfig}. Setting an option twice is an {@link IllegalStateException}. */
  public static final class Builder {
    private String jdbcUrl;
    private String host;
    private Integer port;
    private String database;
    private String user;
    private String password;
    private CredentialsProvider credentials;
    private String sslMode;
    private Path sslRootCert;
    private Integer maxPoolSize;
    private Integer minIdle;
    private Duration connectionTimeout;
    private Duration statementTimeout;
    private String schema;
    private Boolean auditText;
    private Boolean migrate;
    private String applicationName;
    private io.micrometer.core.instrument.MeterRegistry meterRegistry;
    private io.opentelemetry.api.OpenTelemetry openTelemetry;

    private Builder() {}

    /**
     * A PostgreSQL JDBC URL such as {@code jdbc:postgresql://db:5432/storymagic}. Exclusive with
     * {@link #host}. Credentials are better given with {@link #user} and {@link #password} than in
     * the URL.
     */
    public Builder jdbcUrl(String jdbcUrl) {
      requireNonNull(jdbcUrl, "jdbcUrl");
      require(
          jdbcUrl.startsWith("jdbc:postgresql:"),
          "jdbcUrl must start with 'jdbc:postgresql:': %s",
          redactUrl(jdbcUrl));
      this.jdbcUrl = once(this.jdbcUrl, jdbcUrl, "jdbcUrl");
      return this;
    }

    /** The database host name or address, such as the RDS endpoint in {@code DATABASE_HOST}. */
    public Builder host(String host) {
      this.host = once(this.host, notBlank(host, "host"), "host");
      return this;
    }

    /** The port, 1 to 65535. Default {@value PostgresConfig#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = once(this.port, within(port, 1, 65_535, "port"), "port");
      return this;
    }

    /** The database name. Default {@code postgres}. */
    public Builder database(String database) {
      requireNonNull(database, "database");
      require(
          !database.isBlank() && !database.contains("/") && !database.contains("?"),
          "database must be a plain database name: '%s'",
          database);
      this.database = once(this.database, database, "database");
      return this;
    }

    public Builder user(String user) {
      requireNonNull(user, "user");
      require(!user.isBlank(), "user must not be blank");
      this.user = once(this.user, user, "user");
      return this;
    }

    public Builder password(String password) {
      this.password = once(this.password, requireNonNull(password, "password"), "password");
      return this;
    }

    /**
     * Credentials looked up for every new connection, and looked up again when PostgreSQL refuses
     * them, so a password rotated in Secrets Manager ({@link SecretsManagerCredentials}) is picked
     * up by the running pool. Exclusive with {@link #user} and {@link #password}.
     */
    public Builder credentials(CredentialsProvider credentials) {
      this.credentials =
          once(this.credentials, requireNonNull(credentials, "credentials"), "credentials");
      return this;
    }

    /**
     * The driver's {@code sslmode}: {@code disable}, {@code allow}, {@code prefer}, {@code
     * require}, {@code verify-ca} or {@code verify-full}. For RDS use {@code verify-full} with
     * {@link #sslRootCert}. Default: the driver's ({@code prefer}) or the JDBC URL's.
     */
    @SuppressWarnings("InvalidParam") // {@code sslmode} names the driver's setting
    public Builder sslMode(String sslMode) {
      requireNonNull(sslMode, "sslMode");
      require(SSL_MODES.contains(sslMode), "sslMode must be one of %s: %s", SSL_MODES, sslMode);
      this.sslMode = once(this.sslMode, sslMode, "sslMode");
      return this;
    }

    /** A PEM file of trusted certificate authorities, such as the RDS global bundle. */
    public Builder sslRootCert(Path sslRootCert) {
      this.sslRootCert =
          once(this.sslRootCert, requireNonNull(sslRootCert, "sslRootCert"), "sslRootCert");
      return this;
    }

    /**
     * The most connections the pool opens, 1 to 200. Default {@value
     * PostgresConfig#DEFAULT_MAX_POOL_SIZE} (see the class documentation for the arithmetic).
     */
    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize =
          once(this.maxPoolSize, within(maxPoolSize, 1, 200, "maxPoolSize"), "maxPoolSize");
      return this;
    }

    /**
     * Idle connections the pool keeps open, 0 to {@link #maxPoolSize}. Default {@value
     * PostgresConfig#DEFAULT_MIN_IDLE}.
     */
    public Builder minIdle(int minIdle) {
      require(minIdle >= 0, "minIdle cannot be negative: %d", minIdle);
      this.minIdle = once(this.minIdle, minIdle, "minIdle");
      return this;
    }

    /**
     * How long to wait for a connection, from the pool or the network, before failing with a {@link
     * dev.storymagic.StorageException}: at least 250 ms. Default 3 seconds.
     */
    public Builder connectionTimeout(Duration timeout) {
      requireNonNull(timeout, "connectionTimeout");
      require(
          timeout.compareTo(MIN_CONNECTION_TIMEOUT) >= 0,
          "connectionTimeout must be at least 250 ms: %s",
          timeout);
      this.connectionTimeout = once(this.connectionTimeout, timeout, "connectionTimeout");
      return this;
    }

    /**
     * The longest one SQL statement may run before PostgreSQL cancels it; zero means no limit,
     * otherwise at least 1 ms. Default 5 seconds.
     */
    public Builder statementTimeout(Duration timeout) {
      requireNonNull(timeout, "statementTimeout");
      require(
          timeout.isZero() || timeout.toMillis() >= 1,
          "statementTimeout must be zero or at least 1 ms: %s",
          timeout);
      this.statementTimeout = once(this.statementTimeout, timeout, "statementTimeout");
      return this;
    }

    /**
     * The schema holding StoryMagic's tables, created by the migrations if absent: a lower-case SQL
     * identifier (letters, digits, underscores). Default {@value PostgresConfig#DEFAULT_SCHEMA}.
     */
    public Builder schema(String schema) {
      requireNonNull(schema, "schema");
      require(
          IDENTIFIER.matcher(schema).matches() && !schema.startsWith("pg_"),
          "schema must be a lower-case identifier of at most 63 letters, digits or underscores, not starting with pg_: '%s'",
          schema);
      this.schema = once(this.schema, schema, "schema");
      return this;
    }

    /**
     * Keep the offending text in blocked-request audit rows when the pipeline supplies it. Default
     * false: only categories, stage and time are stored, whatever the pipeline passes.
     */
    public Builder auditText(boolean auditText) {
      this.auditText = once(this.auditText, auditText, "auditText");
      return this;
    }

    /**
     * Run the schema migrations when the store is created. Default true; turn off where migrations
     * run as a separate deployment step.
     */
    public Builder migrate(boolean migrate) {
      this.migrate = once(this.migrate, migrate, "migrate");
      return this;
    }

    /**
     * The {@code application_name} the connections report to PostgreSQL. Default {@code
     * storymagic}.
     */
    public Builder applicationName(String applicationName) {
      requireNonNull(applicationName, "applicationName");
      require(
          !applicationName.isBlank() && applicationName.length() <= 63,
          "applicationName must have 1 to 63 characters: '%s'",
          applicationName);
      this.applicationName = once(this.applicationName, applicationName, "applicationName");
      return this;
    }

    /**
     * Records {@code db.client.operation.duration} per statement name (with percentiles), rows and
     * errors, and the HikariCP pool's {@code hikaricp_*} meters (active, idle, pending, timeouts)
     * when the store opens its pool, in {@code registry}. Default none.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry =
          once(this.meterRegistry, requireNonNull(registry, "registry"), "meterRegistry");
      return this;
    }

    /**
     * Where the client span of each query goes (database semantic conventions; the statement name,
     * never an argument). Default the global OpenTelemetry once the application has set it.
     */
    public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      this.openTelemetry =
          once(this.openTelemetry, requireNonNull(openTelemetry, "openTelemetry"), "openTelemetry");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalStateException if both a JDBC URL and a host were set, a database was set
     *     without a host, credentials were set with a user or password, or minIdle exceeds
     *     maxPoolSize
     */
    public PostgresConfig build() {
      if (jdbcUrl != null && (host != null || port != null || database != null)) {
        throw new IllegalStateException("set either jdbcUrl or host/port/database, not both");
      }
      if (credentials != null && (user != null || password != null)) {
        throw new IllegalStateException("set either credentials or user/password, not both");
      }
      if (host == null && (port != null || database != null)) {
        throw new IllegalStateException("port and database need a host");
      }
      int max = maxPoolSize != null ? maxPoolSize : DEFAULT_MAX_POOL_SIZE;
      if (minIdle != null && minIdle > max) {
        throw new IllegalStateException(
            "minIdle (" + minIdle + ") cannot exceed maxPoolSize (" + max + ")");
      }
      if (sslRootCert != null && (sslMode == null || !sslMode.startsWith("verify"))) {
        throw new IllegalStateException(
            "sslRootCert is only used with sslMode verify-ca or verify-full");
      }
      return new PostgresConfig(this);
    }
  }
}
