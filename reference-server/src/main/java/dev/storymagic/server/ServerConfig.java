package dev.storymagic.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's configuration, read from environment variables named as in the deployment's task
 * definition. Immutable; {@link #fromEnvironment(Map)} validates everything at once and names every
 * bad variable. With nothing set the server runs on embedded defaults: the offline story engine,
 * the in-process cache, an in-memory store and a local development identity.
 *
 * <p>{@link #toString()} never shows a password, key or token.
 */
public final class ServerConfig {
  /** The default HTTP port, as in the task definition and the load balancer's target group. */
  public static final int DEFAULT_PORT = 3000;
  /** Google's published certificates for Firebase ID tokens. */
  public static final String GOOGLE_SECURETOKEN_KEYS_URL =
      "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";
  /** Default largest request body: 64 KiB; a story request is well under 4 KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  /** Default story requests per user per minute. */
  public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 30;
  /** Default pause between streamed sentences of the offline engine: 40 ms. */
  public static final Duration DEFAULT_OFFLINE_STREAM_PACE = Duration.ofMillis(40);
  /** Default time in-flight generations get to finish on shutdown: 30 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  /** Default time limit of one model attempt: 60 seconds. */
  public static final Duration DEFAULT_MODEL_TIMEOUT = Duration.ofSeconds(60);
  /** Default time a client gets to send a request body (or take a blocked write): 10 seconds. */
  public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(10);
  /** Default requests one user may have in flight on one server. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_USER = 16;
  /** Default interval at which buffered CloudWatch metrics are written: 60 seconds. */
  public static final Duration DEFAULT_METRICS_FLUSH_INTERVAL = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String environment;
  private final String host;
  private final int port;
  private final Optional<Database> database;
  private final Optional<Redis> redis;
  private final Optional<OpenAi> openAi;
  private final Optional<Firebase> firebase;
  private final List<String> corsAllowedOrigins;
  private final int rateLimitPerMinute;
  private final int modelMaxConcurrency;
  private final Duration modelTimeout;
  private final Duration offlineStreamPace;
  private final int maxBodyBytes;
  private final Duration shutdownGrace;
  private final Duration bodyReadTimeout;
  private final int maxInFlightPerUser;
  private final boolean emfEnabled;
  private final Duration metricsFlushInterval;
  private final Optional<String> storageBucket;
  private final Assets assets;
  private final int memoryStoreCapacity;
  private final boolean layeredSafety;
  private final TracingConfig tracing;

  /**
   * The PostgreSQL store.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/name}, without credentials
   * @param user the database user
   * @param password the password, never logged
   * @param sslMode libpq ssl mode ({@code disable}, {@code require}, {@code verify-full}, ...)
   * @param schema the schema the store's tables live in
   * @param sslRootCert the CA bundle to verify the server with (the RDS bundle), if any
   * @param secretId the Secrets Manager secret to read the credentials from (and again after a
   *     rotation), if any; then {@code user} and {@code password} are only the fallback shown in logs
   * @param secretsEndpoint another Secrets Manager endpoint (a VPC endpoint), if any
   */
  public record Database(String jdbcUrl, String user, String password, String sslMode, String schema,
      Optional<java.nio.file.Path> sslRootCert, Optional<String> secretId, Optional<URI> secretsEndpoint) {
    public Database {
      requireNonNull(sslRootCert, "sslRootCert");
      requireNonNull(secretId, "secretId");
      requireNonNull(secretsEndpoint, "secretsEndpoint");
      requireNonNull(jdbcUrl, "jdbcUrl");
      requireNonNull(user, "user");
      requireNonNull(password, "password");
      requireNonNull(sslMode, "sslMode");
      requireNonNull(schema, "schema");
    }

    @Override
    public String toString() {
      return "Database[" + jdbcUrl + ", " + secretId.map(id -> "credentials from secret " + id).orElse("user=" + user)
          + ", sslMode=" + sslMode + ", schema=" + schema + "]";
    }
  }

  /**
   * The Redis cache, rate limiter and cross-node lock.
   *
   * @param host the host name
   * @param port the port
   * @param tls whether to connect with TLS (ElastiCache in transit encryption)
   * @param password the AUTH token, if any; never logged
   * @param keyPrefix prepended to every key this server writes
   */
  public record Redis(String host, int port, boolean tls, Optional<String> password, String keyPrefix) {
    public Redis {
      requireNonNull(host, "host");
      requireNonNull(password, "password");
      requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public String toString() {
      return "Redis[" + host + ":" + port + ", tls=" + tls + ", password=" + (password.isPresent() ? "***" : "none")
          + ", keyPrefix=" + keyPrefix + "]";
    }
  }

  /**
   * The OpenAI-compatible model provider.
   *
   * @param apiKey the API key, never logged
   * @param baseUrl the API base URL, such as {@code https://api.openai.com/v1}
   * @param model the chat model, such as {@code gpt-4o-mini}
   * @param moderation whether stories (and inputs) also pass OpenAI's moderation endpoint
   * @param http2PriorKnowledge whether to speak cleartext HTTP/2 (h2c) to an {@code http://} base URL
   */
  public record OpenAi(String apiKey, String baseUrl, String model, boolean moderation, boolean http2PriorKnowledge) {
    public OpenAi {
      requireNonNull(apiKey, "apiKey");
      requireNonNull(baseUrl, "baseUrl");
      requireNonNull(model, "model");
    }

    @Override
    public String toString() {
      return "OpenAi[" + baseUrl + ", model=" + model + ", moderation=" + moderation + ", apiKey=***]";
    }
  }

  /**
   * Firebase Authentication.
   *
   * @param projectId the Firebase project id: the tokens' audience
   * @param keysUrl where Google publishes the token signing certificates
   * @param webSignIn what the web playground needs to sign users in, when configured
   */
  public record Firebase(String projectId, String keysUrl, Optional<WebSignIn> webSignIn) {
    public Firebase {
      requireNonNull(projectId, "projectId");
      requireNonNull(keysUrl, "keysUrl");
      requireNonNull(webSignIn, "webSignIn");
    }

    /** Token verification only: the web playground cannot sign users in. */
    public Firebase(String projectId, String keysUrl) {
      this(projectId, keysUrl, Optional.empty());
    }

    /** The issuer every valid token names. */
    public String issuer() {
      return "https://securetoken.google.com/" + projectId;
    }
  }

  /**
   * The Firebase web app values the browser's sign-in needs. Both are public identifiers that every
   * Firebase web page ships, not secrets.
   *
   * @param apiKey the web API key
   * @param authDomain the sign-in domain, such as {@code my-project.firebaseapp.com}
   */
  public record WebSignIn(String apiKey, String authDomain) {
    public WebSignIn {
      requireNonNull(apiKey, "apiKey");
      requireNonNull(authDomain, "authDomain");
    }
  }

  private ServerConfig(Reader r) {
    this.environment = r.environment;
    this.host = r.host;
    this.port = r.port;
    this.database = r.database;
    this.redis = r.redis;
    this.openAi = r.openAi;
    this.firebase = r.firebase;
    this.corsAllowedOrigins = List.copyOf(r.corsAllowedOrigins);
    this.rateLimitPerMinute = r.rateLimitPerMinute;
    this.modelMaxConcurrency = r.modelMaxConcurrency;
    this.modelTimeout = r.modelTimeout;
    this.offlineStreamPace = r.offlineStreamPace;
    this.maxBodyBytes = r.maxBodyBytes;
    this.shutdownGrace = r.shutdownGrace;
    this.bodyReadTimeout = r.bodyReadTimeout;
    this.maxInFlightPerUser = r.maxInFlightPerUser;
    this.emfEnabled = r.emfEnabled;
    this.metricsFlushInterval = r.metricsFlushInterval;
    this.storageBucket = r.storageBucket;
    this.assets = r.assets;
    this.memoryStoreCapacity = r.memoryStoreCapacity;
    this.layeredSafety = r.layeredSafety;
    this.tracing = r.tracing;
  }

  /** The embedded defaults: what {@link #fromEnvironment} gives for an empty environment. */
  public static ServerConfig defaults() {
    return fromEnvironment(Map.of());
  }

  /**
   * Reads the configuration from environment variables.
   *
   * <ul>
   *   <li>{@code APP_ENV} or {@code NODE_ENV}: {@code production} refuses to start without Firebase
   *   <li>{@code PORT} (default 3000; 0 picks a free port), {@code HOST} (default 0.0.0.0)
   *   <li>{@code DATABASE_URL} ({@code postgres://user:pass@host:port/db} or a JDBC URL), or
   *       {@code DATABASE_HOST}, {@code DATABASE_PORT}, {@code DATABASE_NAME}, {@code DATABASE_USER},
   *       {@code DATABASE_PASSWORD}, or {@code DATABASE_CREDENTIALS} (Secrets Manager JSON with
   *       username and password); {@code DATABASE_SSL_MODE}, {@code DATABASE_SSL_ROOT_CERT},
   *       {@code DATABASE_SCHEMA} (default storymagic)
   *   <li>{@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_TLS}, {@code REDIS_PASSWORD}, {@code
   *       REDIS_KEY_PREFIX}
   *   <li>{@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_MODEL}, {@code
   *       OPENAI_MODERATION} (default true for OpenAI's own base URL, false for others), {@code
   *       OPENAI_HTTP2_PRIOR_KNOWLEDGE} (default false; only with an {@code http://} base URL)
   *   <li>{@code FIREBASE_CONFIG} (JSON with {@code project_id} or {@code projectId}) or {@code
   *       FIREBASE_PROJECT_ID}; {@code FIREBASE_KEYS_URL}; for the web playground's sign-in, {@code
   *       FIREBASE_WEB_API_KEY} and {@code FIREBASE_AUTH_DOMAIN} (default {@code
   *       <project>.firebaseapp.com}), or {@code apiKey} and {@code authDomain} in {@code
   *       FIREBASE_CONFIG}
   *   <li>{@code CORS_ALLOWED_ORIGINS} (comma separated), {@code RATE_LIMIT_PER_MINUTE} (0: none),
   *       {@code MODEL_MAX_CONCURRENCY}, {@code MODEL_TIMEOUT_SECONDS}, {@code
   *       OFFLINE_STREAM_PACE_MS}, {@code MAX_BODY_BYTES}, {@code SHUTDOWN_GRACE_SECONDS}, {@code
   *       BODY_READ_TIMEOUT_SECONDS}, {@code MAX_IN_FLIGHT_PER_USER}, {@code EMF_ENABLED}, {@code METRICS_FLUSH_SECONDS}, {@code MEMORY_STORE_CAPACITY} (without a
   *       database)
   *   <li>story assets: {@code STORAGE_BUCKET} (S3; else the folder {@code ASSETS_DIR}), {@code
   *       STORAGE_ENDPOINT}, {@code STORAGE_REGION}, {@code ASSETS_MAX_SCENES}, {@code
   *       OPENAI_IMAGE_MODEL}, {@code OPENAI_SPEECH_MODEL}
   *   <li>{@code SAFETY_LAYERED} (default true): the layered safety filter (lexicon plus the local
   *       learned model) instead of the lexicon alone
   *   <li>tracing: {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code TRACES_SAMPLER_RATIO}, ... (see {@link TracingConfig})
   * </ul>
   *
   * @throws IllegalArgumentException naming every variable that is malformed or missing
   */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Reader reader = new Reader(env);
    reader.read();
    if (!reader.problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", reader.problems));
    }
    return new ServerConfig(reader);
  }

  /** A copy listening on {@code port} (0 for any free port). */
  public ServerConfig withPort(int port) {
    Map<String, String> unchanged = new HashMap<>();
    Reader r = new Reader(unchanged);
    r.copyFrom(this);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
    r.port = port;
    return new ServerConfig(r);
  }

  /** {@code development}, {@code staging}, {@code production}, ... from {@code APP_ENV}/{@code NODE_ENV}. */
  public String environment() {
    return environment;
  }

  public boolean production() {
    return environment.equals("production") || environment.equals("prod");
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public Optional<Database> database() {
    return database;
  }

  public Optional<Redis> redis() {
    return redis;
  }

  public Optional<OpenAi> openAi() {
    return openAi;
  }

  /** Empty when no Firebase project is configured: a local development identity is used. */
  public Optional<Firebase> firebase() {
    return firebase;
  }

  /** Origins allowed to call the API from a browser; empty allows none. */
  public List<String> corsAllowedOrigins() {
    return corsAllowedOrigins;
  }

  /** Story requests per user per minute; 0 disables the limit. */
  public int rateLimitPerMinute() {
    return rateLimitPerMinute;
  }

  /** Concurrent model calls and generations in flight. */
  public int modelMaxConcurrency() {
    return modelMaxConcurrency;
  }

  public Duration modelTimeout() {
    return modelTimeout;
  }

  /**
   * Whether stories and inputs are checked by the layered safety filter (the lexicon plus the local
   * learned model, {@code SAFETY_LAYERED}, default true) rather than by the lexicon alone.
   */
  public boolean layeredSafety() {
    return layeredSafety;
  }

  public Duration offlineStreamPace() {
    return offlineStreamPace;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /**
   * How long a blocked read of a request body (or a blocked write of a response) may wait for the
   * client before the request is answered 408 and the connection closed.
   */
  public Duration bodyReadTimeout() {
    return bodyReadTimeout;
  }

  /** Requests one user may have in flight on this server; 0 means no limit. */
  public int maxInFlightPerUser() {
    return maxInFlightPerUser;
  }

  /** Whether CloudWatch Embedded Metric Format lines are written to standard output. */
  public boolean emfEnabled() {
    return emfEnabled;
  }

  public Duration metricsFlushInterval() {
    return metricsFlushInterval;
  }

  /** Stories the in-memory store (used without a database) holds before refusing more. */
  public int memoryStoreCapacity() {
    return memoryStoreCapacity;
  }

  /** Where spans are exported and how many are sampled. */
  public TracingConfig tracing() {
    return tracing;
  }

  /** A copy with {@code tracing}; for tests and embedding. */
  public ServerConfig withTracing(TracingConfig tracing) {
    Reader r = new Reader(new HashMap<>());
    r.copyFrom(this);
    r.tracing = requireNonNull(tracing, "tracing");
    return new ServerConfig(r);
  }

  /** The S3 bucket story assets are written to ({@code STORAGE_BUCKET}); none: a local folder. */
  public Optional<String> storageBucket() {
    return storageBucket;
  }

  /** Where story pictures and recordings are kept and how they are made. */
  public Assets assets() {
    return assets;
  }

  /**
   * Story assets (pictures and recordings).
   *
   * @param bucket the S3 bucket ({@code STORAGE_BUCKET}); empty: the local {@code folder}
   * @param endpoint another S3 endpoint, such as an S3-compatible server ({@code STORAGE_ENDPOINT})
   * @param region the bucket's region ({@code STORAGE_REGION}, else {@code AWS_REGION}, else eu-central-1)
   * @param folder the local folder used without a bucket ({@code ASSETS_DIR})
   * @param maxScenes scene pictures per story besides the cover ({@code ASSETS_MAX_SCENES}, 0..6, default 3)
   * @param imageModel the OpenAI-compatible images model ({@code OPENAI_IMAGE_MODEL}); empty: the offline SVG illustrator
   * @param speechModel the OpenAI-compatible speech model ({@code OPENAI_SPEECH_MODEL}); empty: no
   *     recordings, the playground reads aloud with the browser's voice
   */
  public record Assets(Optional<String> bucket, Optional<URI> endpoint, String region, java.nio.file.Path folder,
      int maxScenes, Optional<String> imageModel, Optional<String> speechModel) {}

  @Override
  public String toString() {
    return "ServerConfig[environment=" + environment + ", listen=" + host + ":" + port
        + ", database=" + database.map(Object::toString).orElse("in-memory")
        + ", redis=" + redis.map(Object::toString).orElse("none")
        + ", model=" + openAi.map(Object::toString).orElse("offline")
        + ", firebase=" + firebase.map(Firebase::projectId).orElse("none (development identity)")
        + ", corsAllowedOrigins=" + corsAllowedOrigins + ", rateLimitPerMinute=" + rateLimitPerMinute
        + ", modelMaxConcurrency=" + modelMaxConcurrency + ", modelTimeout=" + modelTimeout
        + ", maxBodyBytes=" + maxBodyBytes + ", shutdownGrace=" + shutdownGrace + ", bodyReadTimeout=" + bodyReadTimeout
        + ", maxInFlightPerUser=" + maxInFlightPerUser + ", emf=" + emfEnabled
        + ", safety=" + (layeredSafety ? "layered" : "lexicon") + ", tracing=" + tracing + "]";
  }

  /** Reads and validates, collecting every problem before failing. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    String environment = "development";
    String host = "0.0.0.0";
    int port = DEFAULT_PORT;
    Optional<Database> database = Optional.empty();
    Optional<Redis> redis = Optional.empty();
    Optional<OpenAi> openAi = Optional.empty();
    Optional<Firebase> firebase = Optional.empty();
    List<String> corsAllowedOrigins = List.of();
    int rateLimitPerMinute = DEFAULT_RATE_LIMIT_PER_MINUTE;
    int modelMaxConcurrency = 256;
    Duration modelTimeout = DEFAULT_MODEL_TIMEOUT;
    Duration offlineStreamPace = DEFAULT_OFFLINE_STREAM_PACE;
    int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    Duration bodyReadTimeout = DEFAULT_BODY_READ_TIMEOUT;
    int maxInFlightPerUser = DEFAULT_MAX_IN_FLIGHT_PER_USER;
    boolean emfEnabled = true;
    Duration metricsFlushInterval = DEFAULT_METRICS_FLUSH_INTERVAL;
    Optional<String> storageBucket = Optional.empty();
    Assets assets;
    int memoryStoreCapacity = 100_000;
    boolean layeredSafety = true;
    TracingConfig tracing = TracingConfig.OFF;

    Reader(Map<String, String> env) {
      this.env = requireNonNull(env, "env");
    }

    void copyFrom(ServerConfig c) {
      environment = c.environment;
      host = c.host;
      port = c.port;
      database = c.database;
      redis = c.redis;
      openAi = c.openAi;
      firebase = c.firebase;
      corsAllowedOrigins = c.corsAllowedOrigins;
      rateLimitPerMinute = c.rateLimitPerMinute;
      modelMaxConcurrency = c.modelMaxConcurrency;
      modelTimeout = c.modelTimeout;
      offlineStreamPace = c.offlineStreamPace;
      maxBodyBytes = c.maxBodyBytes;
      shutdownGrace = c.shutdownGrace;
      bodyReadTimeout = c.bodyReadTimeout;
      maxInFlightPerUser = c.maxInFlightPerUser;
      emfEnabled = c.emfEnabled;
      metricsFlushInterval = c.metricsFlushInterval;
      storageBucket = c.storageBucket;
      assets = c.assets;
      memoryStoreCapacity = c.memoryStoreCapacity;
      layeredSafety = c.layeredSafety;
      tracing = c.tracing;
    }

    void read() {
      environment = get("APP_ENV").or(() -> get("NODE_ENV")).map(v -> v.toLowerCase(Locale.ROOT)).orElse("development");
      host = get("HOST").orElse("0.0.0.0");
      port = integer("PORT", DEFAULT_PORT, 0, 65_535);
      readDatabase();
      readRedis();
      readOpenAi();
      readFirebase();
      corsAllowedOrigins = get("CORS_ALLOWED_ORIGINS").map(Reader::origins).orElse(List.of());
      for (String origin : corsAllowedOrigins) {
        if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
          problems.add("CORS_ALLOWED_ORIGINS: '" + origin + "' is not an origin such as https://app.example.com");
        }
      }
      rateLimitPerMinute = integer("RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT_PER_MINUTE, 0, 1_000_000);
      modelMaxConcurrency = integer("MODEL_MAX_CONCURRENCY", 256, 1, 100_000);
      modelTimeout = Duration.ofSeconds(integer("MODEL_TIMEOUT_SECONDS", (int) DEFAULT_MODEL_TIMEOUT.toSeconds(), 1, 600));
      offlineStreamPace = Duration.ofMillis(integer("OFFLINE_STREAM_PACE_MS", (int) DEFAULT_OFFLINE_STREAM_PACE.toMillis(), 0, 5_000));
      maxBodyBytes = integer("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1_024, 10 * 1024 * 1024);
      shutdownGrace = Duration.ofSeconds(integer("SHUTDOWN_GRACE_SECONDS", (int) DEFAULT_SHUTDOWN_GRACE.toSeconds(), 0, 600));
      bodyReadTimeout = Duration.ofSeconds(integer("BODY_READ_TIMEOUT_SECONDS",
          (int) DEFAULT_BODY_READ_TIMEOUT.toSeconds(), 1, 60));
      maxInFlightPerUser = integer("MAX_IN_FLIGHT_PER_USER", DEFAULT_MAX_IN_FLIGHT_PER_USER, 0, 100_000);
      emfEnabled = bool("EMF_ENABLED", true);
      metricsFlushInterval = Duration.ofSeconds(integer("METRICS_FLUSH_SECONDS", (int) DEFAULT_METRICS_FLUSH_INTERVAL.toSeconds(), 1, 3_600));
      storageBucket = get("STORAGE_BUCKET");
      readAssets();
      memoryStoreCapacity = integer("MEMORY_STORE_CAPACITY", 100_000, 1, 10_000_000);
      layeredSafety = bool("SAFETY_LAYERED", true);
      tracing = TracingConfig.read(this::get, problems);
      boolean production = environment.equals("production") || environment.equals("prod");
      if (production && firebase.isEmpty()) {
        problems.add("FIREBASE_CONFIG or FIREBASE_PROJECT_ID is required in production (APP_ENV/NODE_ENV="
            + environment + "); the development identity is never used in production");
      }
      if (production && corsAllowedOrigins.contains("*")) {
        problems.add("CORS_ALLOWED_ORIGINS: '*' is not allowed in production; list the origins");
      }
    }

    private void readDatabase() {
      Optional<String> url = get("DATABASE_URL");
      Optional<String> dbHost = get("DATABASE_HOST");
      if (url.isEmpty() && dbHost.isEmpty()) {
        for (String name : List.of("DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD",
            "DATABASE_CREDENTIALS", "DATABASE_SSL_MODE", "DATABASE_SCHEMA", "DATABASE_SSL_ROOT_CERT",
            "DATABASE_SECRET_ID")) {
          if (get(name).isPresent()) {
            problems.add(name + " is set but neither DATABASE_HOST nor DATABASE_URL is");
          }
        }
        return;
      }
      String user = get("DATABASE_USER").orElse(null);
      String password = get("DATABASE_PASSWORD").orElse(null);
      Optional<String> credentials = get("DATABASE_CREDENTIALS");
      if (credentials.isPresent()) {
        JsonNode node = json("DATABASE_CREDENTIALS", credentials.get());
        if (node != null) {
          user = user != null ? user : text(node, "username");
          password = password != null ? password : text(node, "password");
        }
      }
      String jdbcUrl;
      if (url.isPresent()) {
        String u = url.get();
        if (u.startsWith("jdbc:postgresql://")) {
          jdbcUrl = u;
        } else if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
          try {
            URI uri = URI.create(u);
            if (uri.getHost() == null) {
              throw new IllegalArgumentException("no host");
            }
            String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "/postgres" : uri.getPath();
            jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432) + path;
            if (uri.getRawUserInfo() != null) {
              String[] parts = uri.getRawUserInfo().split(":", 2);
              user = user != null ? user : URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
              if (parts.length > 1) {
                password = password != null ? password : URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
              }
            }
          } catch (IllegalArgumentException e) {
            problems.add("DATABASE_URL is not a valid postgres:// URL");
            return;
          }
        } else {
          problems.add("DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
          return;
        }
      } else {
        String h = dbHost.get();
        if (!h.matches("[A-Za-z0-9.-]+")) {
          problems.add("DATABASE_HOST '" + h + "' is not a host name");
        }
        int p = integer("DATABASE_PORT", 5432, 1, 65_535);
        String name = get("DATABASE_NAME").orElse("storymagic");
        if (!name.matches("[A-Za-z0-9_-]{1,63}")) {
          problems.add("DATABASE_NAME '" + name + "' is not a database name");
        }
        jdbcUrl = "jdbc:postgresql://" + h + ":" + p + "/" + name;
      }
      // The secret itself, read at run time: a password rotated every 30 days reaches running tasks.
      Optional<String> secretId = get("DATABASE_SECRET_ID");
      Optional<URI> secretsEndpoint = Optional.empty();
      if (get("SECRETS_MANAGER_ENDPOINT").isPresent()) {
        try {
          URI endpoint = URI.create(get("SECRETS_MANAGER_ENDPOINT").get());
          if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
          }
          secretsEndpoint = Optional.of(endpoint);
        } catch (IllegalArgumentException e) {
          problems.add("SECRETS_MANAGER_ENDPOINT must be an http(s) URL");
        }
      }
      if (user == null && secretId.isEmpty()) {
        problems.add("DATABASE_USER (or DATABASE_CREDENTIALS with a username, or DATABASE_SECRET_ID) is required with a database");
      }
      String sslMode = get("DATABASE_SSL_MODE").orElse(environment.equals("development") ? "prefer" : "require");
      if (!List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full").contains(sslMode)) {
        problems.add("DATABASE_SSL_MODE must be one of disable, allow, prefer, require, verify-ca, verify-full: " + sslMode);
      }
      String schema = get("DATABASE_SCHEMA").orElse("storymagic");
      Optional<java.nio.file.Path> rootCert = get("DATABASE_SSL_ROOT_CERT").map(java.nio.file.Path::of);
      if (rootCert.isPresent() && !java.nio.file.Files.isReadable(rootCert.get())) {
        problems.add("DATABASE_SSL_ROOT_CERT: " + rootCert.get() + " is not a readable file");
      }
      if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
        problems.add("DATABASE_SCHEMA must be a lower-case SQL identifier: " + schema);
      }
      if (user != null || secretId.isPresent()) {
        database = Optional.of(new Database(jdbcUrl, user == null ? "(from the secret)" : user,
            password == null ? "" : password, sslMode, schema, rootCert, secretId, secretsEndpoint));
      }
    }

    private void readRedis() {
      Optional<String> redisHost = get("REDIS_HOST");
      if (redisHost.isEmpty()) {
        for (String name : List.of("REDIS_PORT", "REDIS_TLS", "REDIS_PASSWORD")) {
          if (get(name).isPresent()) {
            problems.add(name + " is set but REDIS_HOST is not");
          }
        }
        return;
      }
      if (!redisHost.get().matches("[A-Za-z0-9.-]+")) {
        problems.add("REDIS_HOST '" + redisHost.get() + "' is not a host name");
      }
      int p = integer("REDIS_PORT", 6379, 1, 65_535);
      boolean tls = bool("REDIS_TLS", false);
      String prefix = get("REDIS_KEY_PREFIX").orElse("storymagic:");
      redis = Optional.of(new Redis(redisHost.get(), p, tls, get("REDIS_PASSWORD"), prefix));
    }

    private void readOpenAi() {
      Optional<String> key = get("OPENAI_API_KEY");
      String baseUrl = get("OPENAI_BASE_URL").orElse("https://api.openai.com/v1");
      String model = get("OPENAI_MODEL").orElse("gpt-4o-mini");
      if (!baseUrl.matches("https?://\\S+")) {
        problems.add("OPENAI_BASE_URL must be an http(s) URL: " + baseUrl);
      }
      if (key.isEmpty()) {
        if (get("OPENAI_BASE_URL").isPresent() || get("OPENAI_MODEL").isPresent()) {
          problems.add("OPENAI_BASE_URL/OPENAI_MODEL are set but OPENAI_API_KEY is not");
        }
        return;
      }
      // Only OpenAI's own API serves /moderations; Azure OpenAI filters content itself (a refusal is a
      // 422) and self-hosted servers (Ollama, vLLM, llama.cpp) have none: an absent filter would refuse
      // every story.
      boolean hasModeration = baseUrl.matches("https://api\\.openai\\.com(/.*)?");
      // Cleartext HTTP/2 without negotiation, for a self-hosted server known to speak it; HTTPS
      // providers (OpenAI's own) negotiate HTTP/2 through TLS anyway.
      boolean h2c = bool("OPENAI_HTTP2_PRIOR_KNOWLEDGE", false);
      if (h2c && !baseUrl.startsWith("http://")) {
        problems.add("OPENAI_HTTP2_PRIOR_KNOWLEDGE=true needs an http:// OPENAI_BASE_URL: " + baseUrl);
      }
      openAi = Optional.of(new OpenAi(key.get(), baseUrl.replaceAll("/+$", ""), model,
          bool("OPENAI_MODERATION", hasModeration), h2c));
    }

    private void readFirebase() {
      Optional<String> projectId = get("FIREBASE_PROJECT_ID");
      Optional<String> configJson = get("FIREBASE_CONFIG");
      Optional<String> webApiKey = get("FIREBASE_WEB_API_KEY");
      Optional<String> authDomain = get("FIREBASE_AUTH_DOMAIN");
      if (configJson.isPresent()) {
        // A web app config ({apiKey, authDomain, projectId}) also carries the sign-in values; malformed
        // JSON is reported below where the project id is read from it.
        try {
          JsonNode node = JSON.readTree(configJson.get());
          if (node != null && node.isObject()) {
            webApiKey = webApiKey.or(() -> Optional.ofNullable(text(node, "apiKey")));
            authDomain = authDomain.or(() -> Optional.ofNullable(text(node, "authDomain")));
          }
        } catch (IOException e) {
          // reported with the project id
        }
      }
      if (projectId.isEmpty() && configJson.isPresent()) {
        JsonNode node = json("FIREBASE_CONFIG", configJson.get());
        if (node != null) {
          String id = text(node, "project_id");
          if (id == null) {
            id = text(node, "projectId");
          }
          if (id == null) {
            problems.add("FIREBASE_CONFIG has neither project_id nor projectId");
          }
          projectId = Optional.ofNullable(id);
        }
      }
      String keysUrl = get("FIREBASE_KEYS_URL").orElse(GOOGLE_SECURETOKEN_KEYS_URL);
      if (!keysUrl.matches("https?://\\S+")) {
        problems.add("FIREBASE_KEYS_URL must be an http(s) URL: " + keysUrl);
      }
      if (projectId.isPresent()) {
        if (!projectId.get().matches("[a-z0-9][a-z0-9-]{2,62}")) {
          problems.add("the Firebase project id '" + projectId.get() + "' is not a project id");
        }
        Optional<WebSignIn> web = Optional.empty();
        if (webApiKey.isPresent()) {
          String domain = authDomain.orElse(projectId.get() + ".firebaseapp.com");
          if (!webApiKey.get().matches("[A-Za-z0-9_-]{10,100}")) {
            problems.add("FIREBASE_WEB_API_KEY is not a Firebase web API key");
          }
          if (!domain.matches("[A-Za-z0-9.-]{1,253}")) {
            problems.add("FIREBASE_AUTH_DOMAIN '" + domain + "' is not a host name");
          }
          web = Optional.of(new WebSignIn(webApiKey.get(), domain));
        } else if (authDomain.isPresent()) {
          problems.add("FIREBASE_AUTH_DOMAIN is set but FIREBASE_WEB_API_KEY is not");
        }
        firebase = Optional.of(new Firebase(projectId.get(), keysUrl, web));
      } else if (webApiKey.isPresent() || authDomain.isPresent()) {
        problems.add("FIREBASE_WEB_API_KEY/FIREBASE_AUTH_DOMAIN are set but no Firebase project is");
      }
    }

    void readAssets() {
      if (storageBucket.isPresent() && !storageBucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        problems.add("STORAGE_BUCKET must be an S3 bucket name (3-63 lower-case letters, digits, dots, dashes)");
      }
      Optional<URI> endpoint = Optional.empty();
      if (get("STORAGE_ENDPOINT").isPresent()) {
        try {
          URI uri = URI.create(get("STORAGE_ENDPOINT").get());
          if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
          }
          endpoint = Optional.of(uri);
        } catch (IllegalArgumentException e) {
          problems.add("STORAGE_ENDPOINT must be an http(s) URL");
        }
      }
      String region = get("STORAGE_REGION").or(() -> get("AWS_REGION")).orElse("eu-central-1");
      java.nio.file.Path folder = java.nio.file.Path.of(get("ASSETS_DIR")
          .orElse(System.getProperty("java.io.tmpdir") + "/storymagic-assets"));
      int maxScenes = integer("ASSETS_MAX_SCENES", 3, 0, dev.storymagic.spi.Illustrator.MAX_SCENES);
      Optional<String> imageModel = get("OPENAI_IMAGE_MODEL");
      Optional<String> speechModel = get("OPENAI_SPEECH_MODEL");
      if ((imageModel.isPresent() || speechModel.isPresent()) && openAi.isEmpty()) {
        problems.add("OPENAI_IMAGE_MODEL and OPENAI_SPEECH_MODEL need OPENAI_API_KEY");
      }
      assets = new Assets(storageBucket, endpoint, region, folder, maxScenes, imageModel, speechModel);
    }

    private Optional<String> get(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private int integer(String name, int defaultValue, int min, int max) {
      Optional<String> value = get(name);
      if (value.isEmpty()) {
        return defaultValue;
      }
      try {
        int parsed = Integer.parseInt(value.get());
        if (parsed < min || parsed > max) {
          problems.add(name + " must be within " + min + ".." + max + ": " + parsed);
          return defaultValue;
        }
        return parsed;
      } catch (NumberFormatException e) {
        problems.add(name + " must be a whole number: '" + value.get() + "'");
        return defaultValue;
      }
    }

    private boolean bool(String name, boolean defaultValue) {
      Optional<String> value = get(name).map(v -> v.toLowerCase(Locale.ROOT));
      if (value.isEmpty()) {
        return defaultValue;
      }
      switch (value.get()) {
        case "true", "1", "yes", "on":
          return true;
        case "false", "0", "no", "off":
          return false;
        default:
          problems.add(name + " must be true or false: '" + value.get() + "'");
          return defaultValue;
      }
    }

    private JsonNode json(String name, String value) {
      try {
        JsonNode node = JSON.readTree(value);
        if (node == null || !node.isObject()) {
          problems.add(name + " must be a JSON object");
          return null;
        }
        return node;
      } catch (IOException e) {
        // The value is a secret: never echo it.
        problems.add(name + " is not valid JSON");
        return null;
      }
    }

    private static String text(JsonNode node, String field) {
      JsonNode value = node.get(field);
      return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static List<String> origins(String value) {
      return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .map(s -> s.replaceAll("/+$", "")).toList();
    }
  }
}
