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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The server's configuration, read from environment variables named as in the deployment's task
 * definition: one immutable record per concern ({@link Http}, {@link Model}, {@link Database},
 * {@link Redis}, {@link OpenAi}, {@link Firebase}, {@link Metrics}, {@link Assets}, {@link
 * TracingConfig}). {@link #fromEnvironment(Map)} validates everything at once and names every bad
 * variable. With nothing set the server runs on embedded defaults: the offline story engine, the
 * in-process cache, an in-memory store and a local development identity.
 *
 * <p>{@link #toString()} never shows a password, key or token.
 *
 * @param environment {@code development}, {@code staging}, {@code production}, ... from {@code
 *     APP_ENV}/{@code NODE_ENV}
 * @param http where the server listens and what it accepts from clients
 * @param model how stories are written: concurrency, time limit, the offline engine's pace
 * @param database the PostgreSQL store; empty: the in-memory store
 * @param redis the Redis cache, rate limiter and lock, when configured
 * @param openAi the OpenAI-compatible model provider; empty: the offline engine
 * @param firebase Firebase Authentication; empty: a local development identity
 * @param layeredSafety whether stories and inputs are checked by the layered safety filter (the
 *     lexicon plus the local learned model, {@code SAFETY_LAYERED}, default true) rather than by
 *     the lexicon alone
 * @param memoryStoreCapacity stories the in-memory store (used without a database) holds before
 *     refusing more
 * @param metrics CloudWatch metrics
 * @param assets where story pictures and recordings are kept and how they are made
 * @param tracing where spans are exported and how many are sampled
 * @param warmUpRequests story requests a private copy of the server serves on loopback at start-up,
 *     before the port is bound, so the request path is compiled before real traffic arrives ({@code
 *     WARM_UP_REQUESTS}, 0 to {@value #MAX_WARM_UP_REQUESTS}, default 0: none)
 */
public record ServerConfig(
    String environment,
    Http http,
    Model model,
    Optional<Database> database,
    Optional<Redis> redis,
    Optional<OpenAi> openAi,
    Optional<Firebase> firebase,
    boolean layeredSafety,
    int memoryStoreCapacity,
    Metrics metrics,
    Assets assets,
    TracingConfig tracing,
    int warmUpRequests) {
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

  /** Default concurrent model calls and generations in flight: 256. */
  public static final int DEFAULT_MODEL_MAX_CONCURRENCY = 256;

  /** Default time a client gets to send a request body (or take a blocked write): 10 seconds. */
  public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(10);

  /** Default requests one user may have in flight on one server. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_USER = 16;

  /** Default interval at which buffered CloudWatch metrics are written: 60 seconds. */
  public static final Duration DEFAULT_METRICS_FLUSH_INTERVAL = Duration.ofSeconds(60);

  /** Default stories the in-memory store holds: 100,000. */
  public static final int DEFAULT_MEMORY_STORE_CAPACITY = 100_000;

  /** The most start-up warm-up requests: past a few thousand the JIT has nothing left to learn. */
  public static final int MAX_WARM_UP_REQUESTS = 20_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST_NAME = "[A-Za-z0-9.-]+";
  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public ServerConfig {
    requireNonNull(environment, "environment");
    requireNonNull(http, "http");
    requireNonNull(model, "model");
    requireNonNull(database, "database");
    requireNonNull(redis, "redis");
    requireNonNull(openAi, "openAi");
    requireNonNull(firebase, "firebase");
    requireNonNull(metrics, "metrics");
    requireNonNull(assets, "assets");
    requireNonNull(tracing, "tracing");
    if (warmUpRequests < 0 || warmUpRequests > MAX_WARM_UP_REQUESTS) {
      throw new IllegalArgumentException(
          "warmUpRequests must be within 0.." + MAX_WARM_UP_REQUESTS + ": " + warmUpRequests);
    }
  }

  /**
   * Where the server listens and what it accepts from clients.
   *
   * @param host the address to listen on ({@code HOST}, default 0.0.0.0)
   * @param port the port ({@code PORT}, default 3000; 0 picks a free port)
   * @param corsAllowedOrigins origins allowed to call the API from a browser; empty allows none
   * @param maxBodyBytes the largest request body
   * @param bodyReadTimeout how long a blocked read of a request body (or a blocked write of a
   *     response) may wait for the client before the request is answered 408 and the connection
   *     closed
   * @param shutdownGrace the time in-flight generations get to finish on shutdown
   * @param rateLimitPerMinute story requests per user per minute; 0 disables the limit
   * @param maxInFlightPerUser requests one user may have in flight on this server; 0 means no limit
   */
  public record Http(
      String host,
      int port,
      List<String> corsAllowedOrigins,
      int maxBodyBytes,
      Duration bodyReadTimeout,
      Duration shutdownGrace,
      int rateLimitPerMinute,
      int maxInFlightPerUser) {
    public Http {
      requireNonNull(host, "host");
      corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
      requireNonNull(bodyReadTimeout, "bodyReadTimeout");
      requireNonNull(shutdownGrace, "shutdownGrace");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0..65535: " + port);
      }
    }

    /**
     * The defaults: every address, port {@value ServerConfig#DEFAULT_PORT}, no browser origins, and
     * the {@code DEFAULT_} limits of {@link ServerConfig}.
     */
    static final Http DEFAULTS =
        new Http(
            "0.0.0.0",
            DEFAULT_PORT,
            List.of(),
            DEFAULT_MAX_BODY_BYTES,
            DEFAULT_BODY_READ_TIMEOUT,
            DEFAULT_SHUTDOWN_GRACE,
            DEFAULT_RATE_LIMIT_PER_MINUTE,
            DEFAULT_MAX_IN_FLIGHT_PER_USER);

    /** A builder with the defaults. */
    public static Builder builder() {
      return new Builder(DEFAULTS);
    }

    Http withPort(int port) {
      return new Builder(this).port(port).build();
    }

    /**
     * Builds {@link Http}; every option has a default; setting one twice is an {@link
     * IllegalStateException}.
     */
    public static final class Builder {
      private final Set<String> alreadySet = new HashSet<>();
      private String host;
      private int port;
      private List<String> corsAllowedOrigins;
      private int maxBodyBytes;
      private Duration bodyReadTimeout;
      private Duration shutdownGrace;
      private int rateLimitPerMinute;
      private int maxInFlightPerUser;

      /** A builder holding {@code from}'s values, none of them set yet. */
      private Builder(Http from) {
        host = from.host();
        port = from.port();
        corsAllowedOrigins = from.corsAllowedOrigins();
        maxBodyBytes = from.maxBodyBytes();
        bodyReadTimeout = from.bodyReadTimeout();
        shutdownGrace = from.shutdownGrace();
        rateLimitPerMinute = from.rateLimitPerMinute();
        maxInFlightPerUser = from.maxInFlightPerUser();
      }

      /** Default 0.0.0.0. */
      public Builder host(String host) {
        return setOnce("host", () -> this.host = requireNonNull(host, "host"));
      }

      /** 0 to 65535; 0 picks a free port. Default {@value ServerConfig#DEFAULT_PORT}. */
      public Builder port(int port) {
        return setOnce("port", () -> this.port = port);
      }

      /** Default none. */
      public Builder corsAllowedOrigins(List<String> origins) {
        return setOnce(
            "corsAllowedOrigins",
            () -> this.corsAllowedOrigins = requireNonNull(origins, "origins"));
      }

      /** Default 64 KiB. */
      public Builder maxBodyBytes(int bytes) {
        return setOnce("maxBodyBytes", () -> this.maxBodyBytes = bytes);
      }

      /** Default 10 seconds. */
      public Builder bodyReadTimeout(Duration timeout) {
        return setOnce(
            "bodyReadTimeout", () -> this.bodyReadTimeout = requireNonNull(timeout, "timeout"));
      }

      /** Default 30 seconds. */
      public Builder shutdownGrace(Duration grace) {
        return setOnce("shutdownGrace", () -> this.shutdownGrace = requireNonNull(grace, "grace"));
      }

      /** Default {@value ServerConfig#DEFAULT_RATE_LIMIT_PER_MINUTE}; 0: none. */
      public Builder rateLimitPerMinute(int limit) {
        return setOnce("rateLimitPerMinute", () -> this.rateLimitPerMinute = limit);
      }

      /** Default {@value ServerConfig#DEFAULT_MAX_IN_FLIGHT_PER_USER}; 0: no limit. */
      public Builder maxInFlightPerUser(int max) {
        return setOnce("maxInFlightPerUser", () -> this.maxInFlightPerUser = max);
      }

      public Http build() {
        return new Http(
            host,
            port,
            corsAllowedOrigins,
            maxBodyBytes,
            bodyReadTimeout,
            shutdownGrace,
            rateLimitPerMinute,
            maxInFlightPerUser);
      }

      /** Runs {@code assignment} unless {@code option} was set before, which is refused. */
      private Builder setOnce(String option, Runnable assignment) {
        if (!alreadySet.add(option)) {
          throw new IllegalStateException(option + " was already set");
        }
        assignment.run();
        return this;
      }
    }
  }

  /**
   * How stories are written.
   *
   * @param maxConcurrency concurrent model calls and generations in flight ({@code
   *     MODEL_MAX_CONCURRENCY})
   * @param timeout the time limit of one model attempt ({@code MODEL_TIMEOUT_SECONDS})
   * @param offlineStreamPace the pause between streamed sentences of the offline engine ({@code
   *     OFFLINE_STREAM_PACE_MS})
   */
  public record Model(int maxConcurrency, Duration timeout, Duration offlineStreamPace) {
    public Model {
      requireNonNull(timeout, "timeout");
      requireNonNull(offlineStreamPace, "offlineStreamPace");
    }
  }

  /**
   * CloudWatch metrics.
   *
   * @param emfEnabled whether Embedded Metric Format lines are written to standard output ({@code
   *     EMF_ENABLED})
   * @param flushInterval how often buffered metrics are written ({@code METRICS_FLUSH_SECONDS})
   */
  public record Metrics(boolean emfEnabled, Duration flushInterval) {
    public Metrics {
      requireNonNull(flushInterval, "flushInterval");
    }
  }

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
   *     rotation), if any; then {@code user} and {@code password} are only the fallback shown in
   *     logs
   * @param secretsEndpoint another Secrets Manager endpoint (a VPC endpoint), if any
   */
  public record Database(
      String jdbcUrl,
      String user,
      String password,
      String sslMode,
      String schema,
      Optional<java.nio.file.Path> sslRootCert,
      Optional<String> secretId,
      Optional<URI> secretsEndpoint) {
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
      return "Database["
          + jdbcUrl
          + ", "
          + secretId.map(id -> "credentials from secret " + id).orElse("user=" + user)
          + ", sslMode="
          + sslMode
          + ", schema="
          + schema
          + "]";
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
  public record Redis(
      String host, int port, boolean tls, Optional<String> password, String keyPrefix) {
    public Redis {
      requireNonNull(host, "host");
      requireNonNull(password, "password");
      requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public String toString() {
      return "Redis["
          + host
          + ":"
          + port
          + ", tls="
          + tls
          + ", password="
          + (password.isPresent() ? "***" : "none")
          + ", keyPrefix="
          + keyPrefix
          + "]";
    }
  }

  /**
   * The OpenAI-compatible model provider.
   *
   * @param apiKey the API key, never logged
   * @param baseUrl the API base URL, such as {@code https://api.openai.com/v1}
   * @param model the chat model, such as {@code gpt-4o-mini}
   * @param moderation whether stories (and inputs) also pass OpenAI's moderation endpoint
   * @param http2PriorKnowledge whether to speak cleartext HTTP/2 (h2c) to an {@code http://} base
   *     URL
   */
  public record OpenAi(
      String apiKey,
      String baseUrl,
      String model,
      boolean moderation,
      boolean http2PriorKnowledge) {
    public OpenAi {
      requireNonNull(apiKey, "apiKey");
      requireNonNull(baseUrl, "baseUrl");
      requireNonNull(model, "model");
    }

    @Override
    public String toString() {
      return "OpenAi["
          + baseUrl
          + ", model="
          + model
          + ", moderation="
          + moderation
          + ", apiKey=***]";
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
   *   <li>{@code DATABASE_URL} ({@code postgres://user:pass@host:port/db} or a JDBC URL), or {@code
   *       DATABASE_HOST}, {@code DATABASE_PORT}, {@code DATABASE_NAME}, {@code DATABASE_USER},
   *       {@code DATABASE_PASSWORD}, or {@code DATABASE_CREDENTIALS} (Secrets Manager JSON with
   *       username and password); {@code DATABASE_SSL_MODE}, {@code DATABASE_SSL_ROOT_CERT}, {@code
   *       DATABASE_SCHEMA} (default storymagic)
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
   *       BODY_READ_TIMEOUT_SECONDS}, {@code MAX_IN_FLIGHT_PER_USER}, {@code EMF_ENABLED}, {@code
   *       METRICS_FLUSH_SECONDS}, {@code MEMORY_STORE_CAPACITY} (without a database)
   *   <li>story assets: {@code STORAGE_BUCKET} (S3; else the folder {@code ASSETS_DIR}), {@code
   *       STORAGE_ENDPOINT}, {@code STORAGE_REGION}, {@code ASSETS_MAX_SCENES}, {@code
   *       OPENAI_IMAGE_MODEL}, {@code OPENAI_SPEECH_MODEL}
   *   <li>{@code SAFETY_LAYERED} (default true): the layered safety filter (lexicon plus the local
   *       learned model) instead of the lexicon alone
   *   <li>{@code WARM_UP_REQUESTS} (default 0): story requests served by a private copy of the
   *       server at start-up, before the port is bound
   *   <li>tracing: {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code TRACES_SAMPLER_RATIO}, ... (see
   *       {@link TracingConfig})
   * </ul>
   *
   * @throws IllegalArgumentException naming every variable that is malformed or missing
   */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Reader reader = new Reader(env);
    ServerConfig config = reader.read();
    if (!reader.problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration:\n  - " + String.join("\n  - ", reader.problems));
    }
    return config;
  }

  /** A copy listening on {@code port} (0 for any free port). */
  public ServerConfig withPort(int port) {
    return copy(http.withPort(port), tracing);
  }

  /** A copy with {@code tracing}; for tests and embedding. */
  public ServerConfig withTracing(TracingConfig tracing) {
    return copy(http, tracing);
  }

  /** A copy with {@code http} and {@code tracing}, the sections a copy may change. */
  private ServerConfig copy(Http http, TracingConfig tracing) {
    return new ServerConfig(
        environment,
        http,
        model,
        database,
        redis,
        openAi,
        firebase,
        layeredSafety,
        memoryStoreCapacity,
        metrics,
        assets,
        tracing,
        warmUpRequests);
  }

  public boolean production() {
    return environment.equals("production") || environment.equals("prod");
  }

  /**
   * Story assets (pictures and recordings).
   *
   * @param bucket the S3 bucket ({@code STORAGE_BUCKET}); empty: the local {@code folder}
   * @param endpoint another S3 endpoint, such as an S3-compatible server ({@code STORAGE_ENDPOINT})
   * @param region the bucket's region ({@code STORAGE_REGION}, else {@code AWS_REGION}, else
   *     eu-central-1)
   * @param folder the local folder used without a bucket ({@code ASSETS_DIR})
   * @param maxScenes scene pictures per story besides the cover ({@code ASSETS_MAX_SCENES}, 0..6,
   *     default 3)
   * @param imageModel the OpenAI-compatible images model ({@code OPENAI_IMAGE_MODEL}); empty: the
   *     offline SVG illustrator
   * @param speechModel the OpenAI-compatible speech model ({@code OPENAI_SPEECH_MODEL}); empty: no
   *     recordings, the playground reads aloud with the browser's voice
   */
  public record Assets(
      Optional<String> bucket,
      Optional<URI> endpoint,
      String region,
      java.nio.file.Path folder,
      int maxScenes,
      Optional<String> imageModel,
      Optional<String> speechModel) {}

  @Override
  public String toString() {
    return "ServerConfig[environment="
        + environment
        + ", "
        + http
        + ", database="
        + database.map(Object::toString).orElse("in-memory")
        + ", redis="
        + redis.map(Object::toString).orElse("none")
        + ", model="
        + openAi.map(Object::toString).orElse("offline")
        + ", "
        + model
        + ", firebase="
        + firebase.map(Firebase::projectId).orElse("none (development identity)")
        + ", "
        + metrics
        + ", safety="
        + (layeredSafety ? "layered" : "lexicon")
        + ", tracing="
        + tracing
        + ", warmUpRequests="
        + warmUpRequests
        + "]";
  }

  /** Reads and validates, collecting every problem before failing; one short method per section. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = requireNonNull(env, "env");
    }

    ServerConfig read() {
      String environment =
          get("APP_ENV")
              .or(() -> get("NODE_ENV"))
              .map(v -> v.toLowerCase(Locale.ROOT))
              .orElse("development");
      Optional<Database> database = database(environment);
      Optional<Redis> redis = redis();
      Optional<OpenAi> openAi = openAi();
      Optional<Firebase> firebase = firebase();
      ServerConfig config =
          new ServerConfig(
              environment,
              http(),
              model(),
              database,
              redis,
              openAi,
              firebase,
              bool("SAFETY_LAYERED", true),
              integer("MEMORY_STORE_CAPACITY", 1, 10_000_000).orElse(DEFAULT_MEMORY_STORE_CAPACITY),
              metrics(),
              assets(openAi.isPresent()),
              TracingConfig.read(this::get, problems),
              integer("WARM_UP_REQUESTS", 0, MAX_WARM_UP_REQUESTS).orElse(0));
      production(config);
      return config;
    }

    private Http http() {
      Http.Builder b = Http.builder();
      get("HOST").ifPresent(b::host);
      integer("PORT", 0, 65_535).ifPresent(b::port);
      List<String> origins = get("CORS_ALLOWED_ORIGINS").map(Reader::origins).orElse(List.of());
      for (String origin : origins) {
        if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
          problems.add(
              "CORS_ALLOWED_ORIGINS: '"
                  + origin
                  + "' is not an origin such as https://app.example.com");
        }
      }
      b.corsAllowedOrigins(origins);
      integer("RATE_LIMIT_PER_MINUTE", 0, 1_000_000).ifPresent(b::rateLimitPerMinute);
      integer("MAX_BODY_BYTES", 1_024, 10 * 1024 * 1024).ifPresent(b::maxBodyBytes);
      seconds("SHUTDOWN_GRACE_SECONDS", 0, 600).ifPresent(b::shutdownGrace);
      seconds("BODY_READ_TIMEOUT_SECONDS", 1, 60).ifPresent(b::bodyReadTimeout);
      integer("MAX_IN_FLIGHT_PER_USER", 0, 100_000).ifPresent(b::maxInFlightPerUser);
      return b.build();
    }

    private Model model() {
      return new Model(
          integer("MODEL_MAX_CONCURRENCY", 1, 100_000).orElse(DEFAULT_MODEL_MAX_CONCURRENCY),
          seconds("MODEL_TIMEOUT_SECONDS", 1, 600).orElse(DEFAULT_MODEL_TIMEOUT),
          integer("OFFLINE_STREAM_PACE_MS", 0, 5_000).stream()
              .mapToObj(Duration::ofMillis)
              .findFirst()
              .orElse(DEFAULT_OFFLINE_STREAM_PACE));
    }

    private Metrics metrics() {
      return new Metrics(
          bool("EMF_ENABLED", true),
          seconds("METRICS_FLUSH_SECONDS", 1, 3_600).orElse(DEFAULT_METRICS_FLUSH_INTERVAL));
    }

    private void production(ServerConfig config) {
      if (!config.production()) {
        return;
      }
      if (config.firebase().isEmpty()) {
        problems.add(
            "FIREBASE_CONFIG or FIREBASE_PROJECT_ID is required in production (APP_ENV/NODE_ENV="
                + config.environment()
                + "); the development identity is never used in production");
      }
      if (config.http().corsAllowedOrigins().contains("*")) {
        problems.add("CORS_ALLOWED_ORIGINS: '*' is not allowed in production; list the origins");
      }
    }

    /** A JDBC URL and the credentials a {@code postgres://} URL carries. */
    private record DatabaseTarget(
        String jdbcUrl, Optional<String> user, Optional<String> password) {}

    private Optional<Database> database(String environment) {
      Optional<String> url = get("DATABASE_URL");
      Optional<String> host = get("DATABASE_HOST");
      if (url.isEmpty() && host.isEmpty()) {
        requireAbsent(
            "neither DATABASE_HOST nor DATABASE_URL is",
            "DATABASE_PORT",
            "DATABASE_NAME",
            "DATABASE_USER",
            "DATABASE_PASSWORD",
            "DATABASE_CREDENTIALS",
            "DATABASE_SSL_MODE",
            "DATABASE_SCHEMA",
            "DATABASE_SSL_ROOT_CERT",
            "DATABASE_SECRET_ID");
        return Optional.empty();
      }
      Optional<JsonNode> secret =
          get("DATABASE_CREDENTIALS").map(v -> json("DATABASE_CREDENTIALS", v));
      Optional<DatabaseTarget> target =
          url.isPresent() ? databaseUrl(url.get()) : Optional.of(databaseHost(host.get()));
      if (target.isEmpty()) {
        return Optional.empty();
      }
      Optional<String> user =
          get("DATABASE_USER")
              .or(() -> secret.map(n -> text(n, "username")))
              .or(target.get()::user);
      Optional<String> password =
          get("DATABASE_PASSWORD")
              .or(() -> secret.map(n -> text(n, "password")))
              .or(target.get()::password);
      // The secret itself, read at run time: a password rotated every 30 days reaches running
      // tasks.
      Optional<String> secretId = get("DATABASE_SECRET_ID");
      Optional<URI> secretsEndpoint = httpUri("SECRETS_MANAGER_ENDPOINT");
      if (user.isEmpty() && secretId.isEmpty()) {
        problems.add(
            "DATABASE_USER (or DATABASE_CREDENTIALS with a username, or DATABASE_SECRET_ID) is required with a database");
      }
      String sslMode =
          get("DATABASE_SSL_MODE").orElse(environment.equals("development") ? "prefer" : "require");
      if (!SSL_MODES.contains(sslMode)) {
        problems.add(
            "DATABASE_SSL_MODE must be one of disable, allow, prefer, require, verify-ca, verify-full: "
                + sslMode);
      }
      Optional<java.nio.file.Path> rootCert = readableFile("DATABASE_SSL_ROOT_CERT");
      String schema = get("DATABASE_SCHEMA").orElse("storymagic");
      if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
        problems.add("DATABASE_SCHEMA must be a lower-case SQL identifier: " + schema);
      }
      if (user.isEmpty() && secretId.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new Database(
              target.get().jdbcUrl(),
              user.orElse("(from the secret)"),
              password.orElse(""),
              sslMode,
              schema,
              rootCert,
              secretId,
              secretsEndpoint));
    }

    /**
     * {@code DATABASE_URL}: a JDBC URL as it is, or a {@code postgres://user:pass@host:port/db}
     * URL.
     */
    private Optional<DatabaseTarget> databaseUrl(String url) {
      if (url.startsWith("jdbc:postgresql://")) {
        return Optional.of(new DatabaseTarget(url, Optional.empty(), Optional.empty()));
      }
      if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
        problems.add(
            "DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
        return Optional.empty();
      }
      try {
        URI uri = URI.create(url);
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("no host");
        }
        String path =
            uri.getPath() == null || uri.getPath().length() <= 1 ? "/postgres" : uri.getPath();
        String jdbcUrl =
            "jdbc:postgresql://"
                + uri.getHost()
                + ":"
                + (uri.getPort() > 0 ? uri.getPort() : 5432)
                + path;
        List<String> info =
            uri.getRawUserInfo() == null
                ? List.of()
                : Arrays.stream(uri.getRawUserInfo().split(":", 2))
                    .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8))
                    .toList();
        return Optional.of(
            new DatabaseTarget(
                jdbcUrl, info.stream().findFirst(), info.stream().skip(1).findFirst()));
      } catch (IllegalArgumentException e) {
        problems.add("DATABASE_URL is not a valid postgres:// URL");
        return Optional.empty();
      }
    }

    /** {@code DATABASE_HOST}, {@code DATABASE_PORT} and {@code DATABASE_NAME}. */
    private DatabaseTarget databaseHost(String host) {
      if (!host.matches(HOST_NAME)) {
        problems.add("DATABASE_HOST '" + host + "' is not a host name");
      }
      int port = integer("DATABASE_PORT", 1, 65_535).orElse(5432);
      String name = get("DATABASE_NAME").orElse("storymagic");
      if (!name.matches("[A-Za-z0-9_-]{1,63}")) {
        problems.add("DATABASE_NAME '" + name + "' is not a database name");
      }
      return new DatabaseTarget(
          "jdbc:postgresql://" + host + ":" + port + "/" + name,
          Optional.empty(),
          Optional.empty());
    }

    private Optional<Redis> redis() {
      Optional<String> host = get("REDIS_HOST");
      if (host.isEmpty()) {
        requireAbsent("REDIS_HOST is not", "REDIS_PORT", "REDIS_TLS", "REDIS_PASSWORD");
        return Optional.empty();
      }
      if (!host.get().matches(HOST_NAME)) {
        problems.add("REDIS_HOST '" + host.get() + "' is not a host name");
      }
      return Optional.of(
          new Redis(
              host.get(),
              integer("REDIS_PORT", 1, 65_535).orElse(6379),
              bool("REDIS_TLS", false),
              get("REDIS_PASSWORD"),
              get("REDIS_KEY_PREFIX").orElse("storymagic:")));
    }

    private Optional<OpenAi> openAi() {
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
        return Optional.empty();
      }
      // Only OpenAI's own API serves /moderations; Azure OpenAI filters content itself (a refusal
      // is a
      // 422) and self-hosted servers (Ollama, vLLM, llama.cpp) have none: an absent filter would
      // refuse
      // every story.
      boolean hasModeration = baseUrl.matches("https://api\\.openai\\.com(/.*)?");
      // Cleartext HTTP/2 without negotiation, for a self-hosted server known to speak it; HTTPS
      // providers (OpenAI's own) negotiate HTTP/2 through TLS anyway.
      boolean h2c = bool("OPENAI_HTTP2_PRIOR_KNOWLEDGE", false);
      if (h2c && !baseUrl.startsWith("http://")) {
        problems.add(
            "OPENAI_HTTP2_PRIOR_KNOWLEDGE=true needs an http:// OPENAI_BASE_URL: " + baseUrl);
      }
      return Optional.of(
          new OpenAi(
              key.get(),
              baseUrl.replaceAll("/+$", ""),
              model,
              bool("OPENAI_MODERATION", hasModeration),
              h2c));
    }

    private Optional<Firebase> firebase() {
      Optional<String> configJson = get("FIREBASE_CONFIG");
      // A web app config ({apiKey, authDomain, projectId}) also carries the sign-in values;
      // malformed
      // JSON is reported where the project id is read from it.
      Optional<JsonNode> webConfig = configJson.flatMap(Reader::quietJson);
      Optional<String> webApiKey =
          get("FIREBASE_WEB_API_KEY").or(() -> webConfig.map(n -> text(n, "apiKey")));
      Optional<String> authDomain =
          get("FIREBASE_AUTH_DOMAIN").or(() -> webConfig.map(n -> text(n, "authDomain")));
      Optional<String> projectId =
          get("FIREBASE_PROJECT_ID").or(() -> configJson.flatMap(this::projectId));
      String keysUrl = get("FIREBASE_KEYS_URL").orElse(GOOGLE_SECURETOKEN_KEYS_URL);
      if (!keysUrl.matches("https?://\\S+")) {
        problems.add("FIREBASE_KEYS_URL must be an http(s) URL: " + keysUrl);
      }
      if (projectId.isEmpty()) {
        if (webApiKey.isPresent() || authDomain.isPresent()) {
          problems.add(
              "FIREBASE_WEB_API_KEY/FIREBASE_AUTH_DOMAIN are set but no Firebase project is");
        }
        return Optional.empty();
      }
      if (!projectId.get().matches("[a-z0-9][a-z0-9-]{2,62}")) {
        problems.add("the Firebase project id '" + projectId.get() + "' is not a project id");
      }
      return Optional.of(
          new Firebase(
              projectId.get(), keysUrl, webSignIn(projectId.get(), webApiKey, authDomain)));
    }

    /**
     * The project id in {@code FIREBASE_CONFIG}: {@code project_id} (service account) or {@code
     * projectId} (web app).
     */
    private Optional<String> projectId(String configJson) {
      JsonNode node = json("FIREBASE_CONFIG", configJson);
      if (node == null) {
        return Optional.empty();
      }
      Optional<String> id =
          Optional.ofNullable(text(node, "project_id"))
              .or(() -> Optional.ofNullable(text(node, "projectId")));
      if (id.isEmpty()) {
        problems.add("FIREBASE_CONFIG has neither project_id nor projectId");
      }
      return id;
    }

    private Optional<WebSignIn> webSignIn(
        String projectId, Optional<String> apiKey, Optional<String> authDomain) {
      if (apiKey.isEmpty()) {
        if (authDomain.isPresent()) {
          problems.add("FIREBASE_AUTH_DOMAIN is set but FIREBASE_WEB_API_KEY is not");
        }
        return Optional.empty();
      }
      String domain = authDomain.orElse(projectId + ".firebaseapp.com");
      if (!apiKey.get().matches("[A-Za-z0-9_-]{10,100}")) {
        problems.add("FIREBASE_WEB_API_KEY is not a Firebase web API key");
      }
      if (!domain.matches("[A-Za-z0-9.-]{1,253}")) {
        problems.add("FIREBASE_AUTH_DOMAIN '" + domain + "' is not a host name");
      }
      return Optional.of(new WebSignIn(apiKey.get(), domain));
    }

    private Assets assets(boolean openAi) {
      Optional<String> bucket = get("STORAGE_BUCKET");
      if (bucket.isPresent() && !bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        problems.add(
            "STORAGE_BUCKET must be an S3 bucket name (3-63 lower-case letters, digits, dots, dashes)");
      }
      Optional<URI> endpoint = httpUri("STORAGE_ENDPOINT");
      String region = get("STORAGE_REGION").or(() -> get("AWS_REGION")).orElse("eu-central-1");
      java.nio.file.Path folder =
          java.nio.file.Path.of(
              get("ASSETS_DIR")
                  .orElse(System.getProperty("java.io.tmpdir") + "/storymagic-assets"));
      int maxScenes =
          integer("ASSETS_MAX_SCENES", 0, dev.storymagic.spi.Illustrator.MAX_SCENES).orElse(3);
      Optional<String> imageModel = get("OPENAI_IMAGE_MODEL");
      Optional<String> speechModel = get("OPENAI_SPEECH_MODEL");
      if ((imageModel.isPresent() || speechModel.isPresent()) && !openAi) {
        problems.add("OPENAI_IMAGE_MODEL and OPENAI_SPEECH_MODEL need OPENAI_API_KEY");
      }
      return new Assets(bucket, endpoint, region, folder, maxScenes, imageModel, speechModel);
    }

    /** Reports each of {@code names} that is set although {@code reason}. */
    private void requireAbsent(String reason, String... names) {
      for (String name : names) {
        if (get(name).isPresent()) {
          problems.add(name + " is set but " + reason);
        }
      }
    }

    /** An http(s) URL with a host, when set. */
    private Optional<URI> httpUri(String name) {
      Optional<String> value = get(name);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        URI uri = URI.create(value.get());
        if (uri.getScheme() != null
            && uri.getScheme().startsWith("http")
            && uri.getHost() != null) {
          return Optional.of(uri);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      problems.add(name + " must be an http(s) URL");
      return Optional.empty();
    }

    /** A readable file, when set. */
    private Optional<java.nio.file.Path> readableFile(String name) {
      Optional<java.nio.file.Path> path = get(name).map(java.nio.file.Path::of);
      if (path.isPresent() && !java.nio.file.Files.isReadable(path.get())) {
        problems.add(name + ": " + path.get() + " is not a readable file");
      }
      return path;
    }

    private Optional<Duration> seconds(String name, int min, int max) {
      return integer(name, min, max).stream().mapToObj(Duration::ofSeconds).findFirst();
    }

    private Optional<String> get(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * A whole number within {@code min..max}, when set; otherwise empty, with the problem reported.
     */
    private OptionalInt integer(String name, int min, int max) {
      Optional<String> value = get(name);
      if (value.isEmpty()) {
        return OptionalInt.empty();
      }
      try {
        int parsed = Integer.parseInt(value.get());
        if (parsed < min || parsed > max) {
          problems.add(name + " must be within " + min + ".." + max + ": " + parsed);
          return OptionalInt.empty();
        }
        return OptionalInt.of(parsed);
      } catch (NumberFormatException e) {
        problems.add(name + " must be a whole number: '" + value.get() + "'");
        return OptionalInt.empty();
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

    /** {@code value} as a JSON object, or empty without a report. */
    private static Optional<JsonNode> quietJson(String value) {
      try {
        return Optional.ofNullable(JSON.readTree(value)).filter(JsonNode::isObject);
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    private static String text(JsonNode node, String field) {
      JsonNode value = node.get(field);
      return value != null && value.isTextual() && !value.asText().isBlank()
          ? value.asText()
          : null;
    }

    private static List<String> origins(String value) {
      return Arrays.stream(value.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .map(s -> s.replaceAll("/+$", ""))
          .toList();
    }
  }
}
