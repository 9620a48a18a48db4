package dev.storymagic.server;

import static java.util.Objects.requireNonNull;

import dev.storymagic.ResilienceSettings;
import dev.storymagic.StoryMagic;
import dev.storymagic.server.internal.Api;
import dev.storymagic.server.internal.Authenticator;
import dev.storymagic.server.internal.EmfMeterRegistry;
import dev.storymagic.server.internal.FirebaseAuthenticator;
import dev.storymagic.server.internal.GoogleKeySet;
import dev.storymagic.server.internal.HealthService;
import dev.storymagic.server.internal.InFlight;
import dev.storymagic.server.internal.LocalRateLimiter;
import dev.storymagic.server.internal.StaticSite;
import dev.storymagic.server.internal.StoryAssets;
import dev.storymagic.server.internal.StoryJson;
import dev.storymagic.server.internal.UserSlots;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.StoryStore;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StoryMagic HTTP service. {@link #main} reads the environment and starts it; {@link
 * #start(ServerConfig)} starts one in-process (tests, embedding) and returns the running server,
 * whose {@link #close()} shuts it down gracefully: stop accepting connections, let in-flight
 * generations finish within the configured grace, stop the HTTP server, release the SDK, flush
 * metrics.
 */
public final class StoryMagicServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoryMagicServer.class);
  private static final Logger emfLog = LoggerFactory.getLogger("dev.storymagic.emf");

  /** The uid of the local development identity. */
  public static final String DEVELOPMENT_UID = Authenticator.DEVELOPMENT_UID;

  /** Pending connections the listening socket holds. */
  private static final int ACCEPT_QUEUE = 4096;

  /** Idle connections are closed after this; above the load balancer's 60 s idle timeout. */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(75);

  /** Past the grace: how long answers cut at shutdown get to be written before Jetty stops. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

  private final ServerConfig config;
  private final Javalin javalin;
  private final StoryMagic magic;
  private final InFlight inFlight;
  private final Api api;
  private final AutoCloseable modelCalls;
  private final AtomicBoolean shuttingDown;
  private final Deque<AutoCloseable> closeables;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StoryMagicServer(
      ServerConfig config,
      Javalin javalin,
      StoryMagic magic,
      InFlight inFlight,
      Api api,
      AutoCloseable modelCalls,
      AtomicBoolean shuttingDown,
      Deque<AutoCloseable> closeables) {
    this.modelCalls = modelCalls;
    this.config = config;
    this.javalin = javalin;
    this.magic = magic;
    this.inFlight = inFlight;
    this.api = api;
    this.shuttingDown = shuttingDown;
    this.closeables = closeables;
  }

  /**
   * Starts the server from the process environment; exits with status 2 on a configuration error.
   *
   * <p>With the single argument {@code --aot-training} it serves no one: it sends bursts of story
   * requests through a private copy of itself (as the start-up warm-up does, with a stand-in
   * provider on loopback answering after a second) and exits, status 0 if every request had its
   * answer. Run so by a JVM recording an ahead-of-time cache ({@code
   * -XX:AOTCacheOutput=storymagic.aot}, Java 25), the cache then lets a fresh server meet its first
   * burst with the burst path's classes loaded and its method profiles known; see the README.
   */
  public static void main(String[] args) {
    boolean training = args.length == 1 && args[0].equals("--aot-training");
    if (args.length > 0 && !training) {
      System.err.println("usage: StoryMagicServer [--aot-training] (configured by environment)");
      System.exit(2);
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("StoryMagic cannot start: {}", e.getMessage());
      System.err.println("StoryMagic cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (training) {
      ServerWarmUp.Outcome outcome =
          ServerWarmUp.train(
              config, ServerWarmUp.Training.DEFAULT, Api.Dependencies.onVirtualThreads());
      log.info(
          "ahead-of-time training done in {} ms: {} story requests, answers by status {}",
          outcome.took().toMillis(),
          outcome.sent(),
          outcome.statuses());
      flushLogs();
      System.exit(outcome.allAnswered() ? 0 : 1);
      return;
    }
    StoryMagicServer server;
    try {
      server = start(config);
    } catch (RuntimeException e) {
      log.error("StoryMagic could not start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::closeAndFlushLogs, "shutdown"));
  }

  /** Starts a server with the default EMF sink (standard output through the log system). */
  public static StoryMagicServer start(ServerConfig config) {
    return start(config, emfLog::info);
  }

  /**
   * Starts a server whose CloudWatch metric lines go to {@code emfSink}.
   *
   * @throws IllegalStateException if a dependency cannot be set up or the port cannot be bound
   */
  public static StoryMagicServer start(ServerConfig config, Consumer<String> emfSink) {
    return start(config, emfSink, Api.Dependencies.onVirtualThreads());
  }

  /**
   * As {@link #start(ServerConfig, Consumer)}; {@code generateOnRequestThread} says whether a story
   * request waits for its generation on the thread serving it (production: when that thread is
   * virtual), so tests on Java 17 can take that path too.
   */
  static StoryMagicServer start(
      ServerConfig config,
      Consumer<String> emfSink,
      java.util.function.BooleanSupplier generateOnRequestThread) {
    requireNonNull(config, "config");
    requireNonNull(emfSink, "emfSink");
    Deque<AutoCloseable> closeables = new ArrayDeque<>();
    try {
      return assemble(config, emfSink, generateOnRequestThread, closeables);
    } catch (RuntimeException e) {
      closeAll(closeables);
      throw e;
    }
  }

  private static StoryMagicServer assemble(
      ServerConfig config,
      Consumer<String> emfSink,
      java.util.function.BooleanSupplier generateOnRequestThread,
      Deque<AutoCloseable> closeables) {
    log.info("starting StoryMagic with {}", config);
    if (config.warmUpRequests() > 0) {
      // Before anything of this server exists or its port is bound: the load balancer sees it
      // only once the request path has been compiled.
      ServerWarmUp.run(config, generateOnRequestThread);
    }
    Clock clock = Clock.systemUTC();
    Meters meters = meters(config, emfSink, closeables);
    dev.storymagic.server.internal.ServerTracing tracing =
        dev.storymagic.server.internal.ServerTracing.create(config.tracing());
    closeables.push(tracing); // closed last: exports the spans of the final requests
    io.opentelemetry.api.OpenTelemetry otel = tracing.openTelemetry();

    StoryMagic.Builder builder =
        StoryMagic.builder()
            .meterRegistry(meters.all())
            .openTelemetry(otel)
            .maxInFlight(Math.min(100_000, 2 * config.model().maxConcurrency() + 256))
            .resilience(
                ResilienceSettings.builder()
                    .attemptTimeout(config.model().timeout())
                    .maxConcurrentCalls(config.model().maxConcurrency())
                    .build());
    Wiring.safety(config, builder, closeables);
    AutoCloseable modelCalls = Wiring.model(config, builder, closeables, otel);
    StoryStore store =
        config
            .database()
            .map(db -> Wiring.postgres(db, closeables, meters.all(), otel))
            .orElseGet(() -> InMemoryStoryStore.create(config.memoryStoreCapacity()));
    builder.store(store);
    boolean sharedLimiter = Wiring.redis(config, builder, closeables, meters.all(), otel);
    if (!sharedLimiter && config.http().rateLimitPerMinute() > 0) {
      builder.rateLimiter(new LocalRateLimiter(config.http().rateLimitPerMinute(), clock));
    }
    StoryMagic magic = builder.build();
    closeables.push(magic);

    AtomicBoolean shuttingDown = new AtomicBoolean();
    InFlight inFlight = new InFlight();
    HealthService health = new HealthService(magic::health, shuttingDown::get);
    closeables.push(health);
    StoryAssets assets = Wiring.assets(config, closeables);
    Api api =
        new Api(
            new Api.Dependencies(
                magic,
                store,
                authenticator(config, clock),
                new StoryJson(),
                health,
                meters.prometheus(),
                meters.all(),
                inFlight,
                new UserSlots(config.http().maxInFlightPerUser()),
                config.http().corsAllowedOrigins(),
                config.http().maxBodyBytes(),
                shuttingDown::get,
                assets,
                generateOnRequestThread));
    closeables.push(api);

    Javalin javalin = Javalin.create(c -> configure(c, config, api, tracing));
    try {
      javalin.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the HTTP server could not start on "
              + config.http().host()
              + ":"
              + config.http().port()
              + ": "
              + e.getMessage(),
          e);
    }
    StoryMagicServer server =
        new StoryMagicServer(
            config, javalin, magic, inFlight, api, modelCalls, shuttingDown, closeables);
    log.info(
        "StoryMagic listening on port {} ({} environment)", server.port(), config.environment());
    return server;
  }

  /** The Prometheus registry the /metrics endpoint reads, and every registry the SDK reports to. */
  private record Meters(PrometheusMeterRegistry prometheus, CompositeMeterRegistry all) {}

  private static Meters meters(
      ServerConfig config, Consumer<String> emfSink, Deque<AutoCloseable> closeables) {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    closeables.push(prometheus::close);
    CompositeMeterRegistry meters = new CompositeMeterRegistry();
    meters.add(prometheus);
    if (config.metrics().emfEnabled()) {
      EmfMeterRegistry emf =
          new EmfMeterRegistry(
              emfSink,
              config.metrics().flushInterval(),
              io.micrometer.core.instrument.Clock.SYSTEM);
      meters.add(emf);
      closeables.push(emf::close);
    }
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(prometheus);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(prometheus);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(prometheus);
    return new Meters(prometheus, meters);
  }

  /**
   * Firebase ID tokens when a project is configured; otherwise everyone is the development user.
   */
  private static Authenticator authenticator(ServerConfig config, Clock clock) {
    if (config.firebase().isEmpty()) {
      log.warn(
          "NO FIREBASE PROJECT CONFIGURED: every request acts as the local development user '{}'. "
              + "Set FIREBASE_CONFIG or FIREBASE_PROJECT_ID for real sign-in; production refuses to start without it.",
          DEVELOPMENT_UID);
      return Authenticator.development(DEVELOPMENT_UID);
    }
    ServerConfig.Firebase firebase = config.firebase().get();
    GoogleKeySet keySet = new GoogleKeySet(firebase.keysUrl(), clock, Duration.ofSeconds(10));
    keySet.prefetch();
    log.info("verifying Firebase ID tokens for project {}", firebase.projectId());
    return new FirebaseAuthenticator(firebase.projectId(), keySet, clock);
  }

  /**
   * Javalin and Jetty: the listening connector, the thread pool, timeouts, the API and the
   * playground.
   */
  private static void configure(
      JavalinConfig c,
      ServerConfig config,
      Api api,
      dev.storymagic.server.internal.ServerTracing tracing) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.jetty.addConnector(
        (server, http) -> {
          ServerConnector connector =
              new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
          connector.setHost(config.http().host());
          connector.setPort(config.http().port());
          connector.setAcceptQueueSize(
              ACCEPT_QUEUE); // a burst of new connections is queued, not dropped
          connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
          return connector;
        });
    c.jetty.threadPool = dev.storymagic.server.internal.JettyThreads.pool();
    c.jetty.timeoutStatus = 504;
    // In-flight work has had its grace when Jetty stops (see close()); the rest only needs writing.
    c.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT.toMillis()));
    c.jetty.modifyHttpConfiguration(
        http -> {
          http.setSendServerVersion(false);
          http.setSendXPoweredBy(false);
          // A blocked read of a body (or write of a response) gives up after seconds, not after the
          // connection's 75 s idle timeout, which stays long for keep-alive behind the load
          // balancer.
          http.setIdleTimeout(config.http().bodyReadTimeout().toMillis());
        });
    c.http.asyncTimeout = config.model().timeout().multipliedBy(4).plusSeconds(30).toMillis();
    api.configure(c);
    c.jetty.modifyServletContextHandler(
        new dev.storymagic.server.internal.HttpTracing(tracing)::install);
    if (StaticSite.install(c, config)) {
      log.info("serving the web playground from the classpath folder /web");
    }
  }

  /** The port the server listens on. */
  public int port() {
    return javalin.port();
  }

  /** The configuration it runs with. */
  public ServerConfig config() {
    return config;
  }

  /** The SDK instance behind the API. */
  public StoryMagic storyMagic() {
    return magic;
  }

  /** Generations being served right now. */
  public int inFlightGenerations() {
    return inFlight.count();
  }

  /**
   * Shuts down gracefully; idempotent. New connections are refused at once, health answers 503, and
   * in-flight generations get {@link ServerConfig.Http#shutdownGrace()} to finish before the HTTP
   * server stops; then the SDK is closed and buffered metrics are written.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    shuttingDown.set(true);
    log.info(
        "shutting down: {} generation(s) in flight, grace {}",
        inFlight.count(),
        config.http().shutdownGrace());
    for (var connector : javalin.jettyServer().server().getConnectors()) {
      if (connector instanceof NetworkConnector nc) {
        nc.close(); // stop accepting; open connections carry on
      }
    }
    try {
      if (!inFlight.awaitIdle(config.http().shutdownGrace())) {
        // Answer what is left now, so clients can retry elsewhere: 503 shutting_down + Retry-After,
        // or a final error event on a stream. Their generations are cancelled.
        int cut = api.cutInFlight();
        log.warn(
            "{} request(s) still waiting on a generation after the shutdown grace of {}; answered 503 shutting_down",
            cut,
            config.http().shutdownGrace());
        inFlight.awaitIdle(STOP_TIMEOUT);
        // Their answers are out; the provider calls behind them are cancelled so the SDK's workers
        // end now instead of at the model timeout.
        try {
          modelCalls.close();
        } catch (Exception e) {
          log.debug("cancelling model calls failed: {}", e.toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      javalin.stop();
    } catch (RuntimeException e) {
      log.warn("stopping the HTTP server failed: {}", e.toString());
    }
    closeAll(closeables);
    log.info("StoryMagic stopped in {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private void closeAndFlushLogs() {
    close();
    flushLogs();
  }

  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop(); // flushes the asynchronous appenders
    }
  }

  private static void closeAll(Deque<AutoCloseable> closeables) {
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** The optional integrations, each used only when configured. */
  static final class Wiring {
    private Wiring() {}

    /**
     * The layered safety filter by default (the lexicon plus the local learned model, no network),
     * loaded here so start-up pays for the model rather than the first request; the lexicon alone
     * with SAFETY_LAYERED=false. Set before the model so moderation is added after it.
     */
    static void safety(
        ServerConfig config, StoryMagic.Builder builder, Deque<AutoCloseable> closeables) {
      if (!config.layeredSafety()) {
        log.info("safety: lexicon only (SAFETY_LAYERED=false)");
        return;
      }
      long start = System.nanoTime();
      dev.storymagic.safety.ml.LayeredSafetyFilter layered =
          dev.storymagic.safety.ml.LayeredSafetyFilter.create();
      closeables.push(layered);
      layered.warmUp();
      // The policy holds the thresholds per category and age group chosen with the heads.
      builder.safety(layered).safetyPolicy(layered.policy());
      log.info(
          "safety: layered filter {} (policy {}) loaded in {} ms",
          layered.version(),
          layered.policy().version(),
          (System.nanoTime() - start) / 1_000_000);
    }

    /** Sets the model; returns what cancels its calls in flight (for a shutdown past the grace). */
    static AutoCloseable model(
        ServerConfig config,
        StoryMagic.Builder builder,
        Deque<AutoCloseable> closeables,
        io.opentelemetry.api.OpenTelemetry otel) {
      if (config.openAi().isPresent()) {
        ServerConfig.OpenAi openAi = config.openAi().get();
        // The transport limits sit just above the pipeline's per-attempt time limit, so a silent
        // provider trips the pipeline's limiter: the caller gets 504 and story_generation_timeouts
        // (the deployment's GenerationTimeouts alarm) counts it, instead of a transport error that
        // would be
        // retried and reported as an unavailable model.
        Duration attempt = config.model().timeout();
        Duration call = attempt.plusSeconds(5);
        dev.storymagic.openai.OpenAiConnection connection =
            dev.storymagic.openai.OpenAiConnection.custom()
                .apiKey(openAi.apiKey())
                .baseUrl(openAi.baseUrl())
                .readTimeout(call)
                .connectTimeout(Duration.ofSeconds(5))
                .maxConcurrentRequests(Math.min(10_000, config.model().maxConcurrency()))
                .connectionPool(
                    Math.min(1_000, config.model().maxConcurrency()), Duration.ofMinutes(5))
                .http2PriorKnowledge(openAi.http2PriorKnowledge())
                .build();
        dev.storymagic.openai.OpenAiStoryModel model =
            dev.storymagic.openai.OpenAiStoryModel.builder()
                .connection(connection)
                .model(openAi.model())
                .callTimeout(call)
                .openTelemetry(otel)
                .build();
        closeables.push(model);
        builder.model(model);
        AutoCloseable moderationCalls = () -> {};
        if (openAi.moderation()) {
          // After the local classifier; shares the model's key and connection pool. Fails closed on
          // output.
          dev.storymagic.openai.OpenAiModerationFilter moderation =
              dev.storymagic.openai.OpenAiModerationFilter.create(model);
          closeables.push(moderation);
          builder.moderation(moderation);
          moderationCalls = moderation;
        }
        log.info(
            "writing stories with {} at {} (moderation {})",
            openAi.model(),
            openAi.baseUrl(),
            openAi.moderation() ? "on" : "off");
        AutoCloseable moderationToClose = moderationCalls;
        return () -> { // both hold the shared HTTP client; it cancels its calls when the last lets
          // go
          moderationToClose.close();
          model.close();
        };
      }
      builder.model(
          config.model().offlineStreamPace().isZero()
              ? OfflineStoryModel.create()
              : OfflineStoryModel.withStreamPace(config.model().offlineStreamPace()));
      return () -> {}; // the offline engine stops at its next sentence once the request is
      // cancelled
    }

    /**
     * Story pictures and recordings: kept in S3 when STORAGE_BUCKET is set (CloudFront serves
     * them), else in a local folder the server serves itself; drawn offline unless an images model
     * is set; recorded only when a speech model is set.
     */
    static StoryAssets assets(ServerConfig config, Deque<AutoCloseable> closeables) {
      ServerConfig.Assets a = config.assets();
      dev.storymagic.spi.AssetStorage storage = StorageWiring.storage(a);
      dev.storymagic.spi.Illustrator illustrator = dev.storymagic.spi.Illustrator.offline();
      java.util.Optional<dev.storymagic.spi.Narrator> narrator = java.util.Optional.empty();
      if (config.openAi().isPresent()) {
        ServerConfig.OpenAi openAi = config.openAi().get();
        if (a.imageModel().isPresent()) {
          dev.storymagic.openai.OpenAiIllustrator.Builder images =
              dev.storymagic.openai.OpenAiIllustrator.builder()
                  .apiKey(openAi.apiKey())
                  .baseUrl(openAi.baseUrl())
                  .model(a.imageModel().get());
          if (openAi.moderation()) {
            // Every picture prompt is moderated before it is sent.
            dev.storymagic.openai.OpenAiModerationFilter moderation =
                dev.storymagic.openai.OpenAiModerationFilter.builder()
                    .apiKey(openAi.apiKey())
                    .baseUrl(openAi.baseUrl())
                    .build();
            closeables.push(moderation);
            images.moderation(moderation, dev.storymagic.SafetyPolicy.defaults());
          }
          dev.storymagic.openai.OpenAiIllustrator built = images.build();
          closeables.push(built);
          illustrator = built;
        }
        if (a.speechModel().isPresent()) {
          dev.storymagic.openai.OpenAiNarrator built =
              dev.storymagic.openai.OpenAiNarrator.builder()
                  .apiKey(openAi.apiKey())
                  .baseUrl(openAi.baseUrl())
                  .model(a.speechModel().get())
                  .build();
          closeables.push(built);
          narrator = java.util.Optional.of(built);
        }
      }
      StoryAssets assets =
          new StoryAssets(
              dev.storymagic.spi.AssetStore.create(storage), illustrator, narrator, a.maxScenes());
      closeables.push(assets);
      log.info(
          "story assets in {}; pictures by {}, recordings {}",
          storage.describe(),
          illustrator.model(),
          narrator.map(dev.storymagic.spi.Narrator::model).orElse("in the browser"));
      return assets;
    }

    /** The PostgreSQL store {@code db} describes, closed with the server. */
    static StoryStore postgres(
        ServerConfig.Database db,
        Deque<AutoCloseable> closeables,
        io.micrometer.core.instrument.MeterRegistry meters,
        io.opentelemetry.api.OpenTelemetry otel) {
      dev.storymagic.store.PostgresConfig.Builder pg =
          dev.storymagic.store.PostgresConfig.builder()
              .jdbcUrl(db.jdbcUrl())
              .sslMode(db.sslMode())
              .schema(db.schema())
              .applicationName("storymagic-server")
              .meterRegistry(meters)
              .openTelemetry(otel);
      if (db.secretId().isPresent()) {
        // Read from Secrets Manager (task role), cached, and read again when PostgreSQL refuses the
        // password: the pool survives the deployment's 30-day rotation without a restart.
        dev.storymagic.store.SecretsManagerCredentials.Builder secret =
            dev.storymagic.store.SecretsManagerCredentials.builder().secretId(db.secretId().get());
        db.secretsEndpoint().ifPresent(secret::endpoint);
        dev.storymagic.store.SecretsManagerCredentials credentials = secret.build();
        closeables.push(credentials);
        pg.credentials(credentials);
      } else {
        pg.user(db.user()).password(db.password());
      }
      db.sslRootCert().ifPresent(pg::sslRootCert);
      dev.storymagic.store.PostgresStoryStore store;
      try {
        store = dev.storymagic.store.PostgresStoryStore.create(pg.build());
      } catch (dev.storymagic.StoryMagicException.StorageFailure e) {
        throw new IllegalStateException(
            "the database " + db.jdbcUrl() + " cannot be used: " + e.getMessage(), e);
      }
      closeables.push(store);
      log.info("storing stories in PostgreSQL {} (schema {})", db.jdbcUrl(), db.schema());
      return store;
    }

    static boolean redis(
        ServerConfig config,
        StoryMagic.Builder builder,
        Deque<AutoCloseable> closeables,
        io.micrometer.core.instrument.MeterRegistry meters,
        io.opentelemetry.api.OpenTelemetry otel) {
      if (config.redis().isEmpty()) {
        return false;
      }
      ServerConfig.Redis redis = config.redis().get();
      dev.storymagic.store.RedisConfig.Builder rc =
          dev.storymagic.store.RedisConfig.builder()
              .host(redis.host())
              .port(redis.port())
              .tls(redis.tls())
              .keyPrefix(redis.keyPrefix())
              .maxConnections(
                  Math.max(
                      dev.storymagic.store.RedisConfig.DEFAULT_MAX_CONNECTIONS,
                      Math.min(256, config.model().maxConcurrency() / 4)));
      redis.password().ifPresent(rc::password);
      rc.meterRegistry(meters).openTelemetry(otel);
      if (config.http().rateLimitPerMinute() > 0) {
        rc.rateLimit(
            dev.storymagic.store.RateLimit.perMinute(
                config.http().rateLimitPerMinute(), config.http().rateLimitPerMinute()));
      }
      dev.storymagic.store.RedisPlugin plugin = dev.storymagic.store.RedisPlugin.create(rc.build());
      closeables.push(plugin);
      builder.install(plugin);
      log.info(
          "sharing the cache, generation lock and rate limit through Redis {}:{} (tls={})",
          redis.host(),
          redis.port(),
          redis.tls());
      return true;
    }
  }
}
