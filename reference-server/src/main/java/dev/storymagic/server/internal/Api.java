package dev.storymagic.server.internal;

import dev.storymagic.FieldError;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryPage;
import dev.storymagic.StoryRequest;
import dev.storymagic.StoryStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: routes, authentication, error mapping, security headers, CORS, request ids,
 * structured access logs and response-time metrics.
 */
public final class Api implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Api.class);
  private static final Logger access = LoggerFactory.getLogger("dev.storymagic.server.access");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");
  private static final Pattern STORY_ID = Pattern.compile("[0-9a-fA-F-]{36}");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
      + "frame-ancestors 'none'";
  private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Idempotency-Key, X-Request-Id";
  private static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After, Location";
  private static final long KEEP_ALIVE_SECONDS = 5;
  private static final Set<String> PUBLIC_API = Set.of("/api/themes");

  private final StoryMagic magic;
  private final StoryStore store;
  private final Authenticator auth;
  private final StoryJson json;
  private final HealthService health;
  private final PrometheusMeterRegistry prometheus;
  private final MeterRegistry meters;
  private final InFlight inFlight;
  private final UserSlots userSlots;
  /** What answers each request still waiting on a generation when the shutdown grace runs out. */
  private final Set<Runnable> cutters = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /**
   * api_response_time timers by endpoint, then method and status: a bounded set (routes are
   * templates), resolved on a request by two lookups without building a key or a tag array.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, EndpointTimers> timers = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<String> corsOrigins;
  private final boolean corsAny;
  private final int maxBodyBytes;
  private final java.util.function.BooleanSupplier shuttingDown;
  private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sse-keep-alive");
    t.setDaemon(true);
    return t;
  });

  /** Everything the API needs. */
  public record Dependencies(StoryMagic magic, StoryStore store, Authenticator auth, StoryJson json,
      HealthService health, PrometheusMeterRegistry prometheus, MeterRegistry meters, InFlight inFlight,
      UserSlots userSlots, List<String> corsOrigins, int maxBodyBytes, java.util.function.BooleanSupplier shuttingDown) {}

  public Api(Dependencies d) {
    this.magic = d.magic();
    this.store = d.store();
    this.auth = d.auth();
    this.json = d.json();
    this.health = d.health();
    this.prometheus = d.prometheus();
    this.meters = d.meters();
    this.inFlight = d.inFlight();
    this.userSlots = d.userSlots();
    this.corsOrigins = Set.copyOf(d.corsOrigins());
    this.corsAny = corsOrigins.contains("*");
    this.maxBodyBytes = d.maxBodyBytes();
    this.shuttingDown = d.shuttingDown();
  }

  public void configure(JavalinConfig config) {
    config.http.maxRequestSize = maxBodyBytes;
    config.http.defaultContentType = "application/json";
    config.requestLogger.http(this::logRequest);
    var routes = config.routes;
    routes.before(this::beforeAll);
    routes.beforeMatched(ctx -> ctx.attribute("route", matchedRoute(ctx)));
    routes.before("/api/*", this::authenticate);

    routes.get("/health", this::health);
    routes.get("/health/live", ctx -> ctx.json(java.util.Map.of("status", "ok")));
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape()));

    routes.options("/api/*", this::preflight);
    routes.get("/api/themes", ctx -> send(ctx, 200, json.bytes(json.themes(magic.themes().all()))));
    routes.post("/api/stories", this::create);
    routes.get("/api/stories", this::list);
    routes.get("/api/stories/{id}", this::get);
    // HEAD answers exactly as GET would, 404 included (the body is dropped by the container).
    routes.head("/api/stories/{id}", this::get);
    routes.head("/api/stories", this::list);
    routes.delete("/api/stories/{id}", this::delete);
    routes.get("/api/me/export", this::export);
    routes.delete("/api/me", this::erase);

    routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e.error()));
    routes.exception(StoryMagicException.class, (e, ctx) -> writeError(ctx, Errors.map(e)));
    routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, fromJavalin(e)));
    routes.exception(Exception.class, (e, ctx) -> {
      Optional<ApiError> clientFault = Errors.clientFault(e);
      if (clientFault.isPresent()) {
        // Broken framing, a body cut short or never finished: the client's doing, one line at WARN.
        log.atWarn().addKeyValue("requestId", requestId(ctx)).log("unreadable request: {}", Errors.describe(e));
        writeError(ctx, clientFault.get());
        return;
      }
      log.atError().setCause(e).addKeyValue("requestId", requestId(ctx)).log("unhandled error");
      writeError(ctx, Errors.internal());
    });
    routes.error(404, ctx -> {
      if (ctx.result() == null && !ctx.res().isCommitted()) {
        writeError(ctx, ApiError.of(404, "not_found", "no such resource: " + ctx.method() + " " + ctx.path()));
      }
    });
    routes.error(405, ctx -> {
      if (ctx.result() == null && !ctx.res().isCommitted()) {
        writeError(ctx, ApiError.of(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
      }
    });
  }

  // ------------------------------------------------------------------ filters

  private void beforeAll(Context ctx) {
    String incoming = ctx.header("X-Request-Id");
    String id = incoming != null && REQUEST_ID.matcher(incoming).matches() ? incoming : newRequestId();
    ctx.attribute("requestId", id);
    ctx.header("X-Request-Id", id);
    ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    String path = ctx.path();
    if (path.startsWith("/api/")) {
      ctx.header("Cache-Control", "no-store");
      cors(ctx);
    }
    int length = ctx.req().getContentLength();
    if (length > maxBodyBytes) {
      throw new ApiException(ApiError.of(413, "payload_too_large",
          "the body is " + length + " bytes; at most " + maxBodyBytes + " are accepted"));
    }
  }

  private void cors(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin != null && (corsAny || corsOrigins.contains(origin))) {
      ctx.header("Access-Control-Allow-Origin", corsAny ? "*" : origin);
      ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
      ctx.header("Vary", "Origin");
    }
  }

  private void preflight(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || !(corsAny || corsOrigins.contains(origin))) {
      throw new ApiException(ApiError.of(403, "cors_origin_not_allowed", "this origin may not call the API"));
    }
    ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    ctx.header("Access-Control-Max-Age", "600");
    ctx.status(204);
  }

  private void authenticate(Context ctx) {
    if (ctx.method().name().equals("OPTIONS") || PUBLIC_API.contains(ctx.path())) {
      return;
    }
    Principal principal = auth.authenticate(Optional.ofNullable(ctx.header("Authorization")));
    ctx.attribute("principal", principal);
    if (!userSlots.tryAcquire(principal.uid())) {
      // Refused before the body is read: a client holding many half-sent requests pins nothing more.
      throw new ApiException(ApiError.of(429, "too_many_in_flight",
          "too many of your requests are open at once; wait for one to finish").withRetryAfter(java.time.Duration.ofSeconds(1)));
    }
    ctx.attribute("slot", principal.uid());
  }

  // ------------------------------------------------------------------ handlers

  private void health(Context ctx) {
    HealthService.Report report = health.check();
    ctx.header("Cache-Control", "no-store");
    send(ctx, report.httpStatus(), json.bytes(report.body()));
  }

  private void create(Context ctx) {
    if (shuttingDown.getAsBoolean()) {
      throw new ApiException(ApiError.of(503, "shutting_down", "this server is shutting down; retry")
          .withRetryAfter(java.time.Duration.ofSeconds(1)));
    }
    String contentType = ctx.header("Content-Type");
    if (contentType != null && !isJson(contentType)) {
      throw new ApiException(ApiError.of(415, "unsupported_media_type", "send the story request as application/json"));
    }
    Principal principal = principal(ctx);
    StoryRequest.Builder builder = json.parseRequest(readBody(ctx)).toBuilder().owner(principal.uid());
    String key = ctx.header("Idempotency-Key");
    if (key != null) {
      if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
        throw new ApiException(Errors.invalid(List.of(new FieldError("Idempotency-Key",
            "must be 1 to 200 visible ASCII characters"))));
      }
      builder.idempotencyKey(key);
    }
    StoryRequest request = builder.build();
    List<FieldError> errors = magic.validate(request);
    if (!errors.isEmpty()) {
      throw new ApiException(Errors.invalid(errors));
    }
    if (key != null && !accept(ctx).contains("text/event-stream")) {
      Optional<Story> earlier = store.findByIdempotencyKey(principal.uid(), key);
      if (earlier.isPresent()) {
        // A retry of a request that already succeeded: the same story, nothing generated.
        ctx.header("Location", "/api/stories/" + earlier.get().id());
        send(ctx, 200, json.storyBytes(earlier.get()));
        return;
      }
    }
    if (accept(ctx).contains("text/event-stream")) {
      stream(ctx, request);
      return;
    }
    inFlight.begin();
    ctx.future(() -> {
      // Answered once: by the generation, or by shutdown when the grace runs out first.
      java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
      CompletableFuture<Void> response = new CompletableFuture<>();
      CompletableFuture<Story> generation = magic.generateAsync(request);
      Runnable cut = () -> {
        if (answered.compareAndSet(false, true)) {
          generation.cancel(true);
          writeError(ctx, shuttingDownError());
          response.complete(null);
        }
      };
      cutters.add(cut);
      generation.handle((story, error) -> {
        if (answered.compareAndSet(false, true)) {
          if (error != null) {
            writeError(ctx, errorFor(ctx, error));
          } else {
            ctx.header("Location", "/api/stories/" + story.id());
            ctx.attribute("cacheTier", story.cacheTier().label());
            send(ctx, 201, json.storyBytes(story));
          }
          response.complete(null);
        }
        return null;
      });
      return response.whenComplete((v, e) -> {
        cutters.remove(cut);
        inFlight.end();
      });
    });
  }

  /** The answer for requests still open when the shutdown grace runs out: retry on another server. */
  static ApiError shuttingDownError() {
    return ApiError.of(503, "shutting_down", "this server is shutting down; retry")
        .withRetryAfter(java.time.Duration.ofSeconds(1));
  }

  /**
   * Ends every request still waiting on a generation: plain requests get 503 {@code shutting_down}
   * with Retry-After, streams a final {@code error} event. Returns how many were ended.
   */
  public int cutInFlight() {
    int n = 0;
    for (Runnable cut : List.copyOf(cutters)) {
      try {
        cut.run();
        n++;
      } catch (RuntimeException e) {
        log.debug("ending a request at shutdown failed: {}", e.toString());
      }
    }
    return n;
  }

  /**
   * The request body. A body that arrives broken or cut short is the client's fault (400), one that
   * does not arrive within the read timeout too (408); neither is logged above one WARN line.
   */
  private byte[] readBody(Context ctx) {
    try {
      return ctx.bodyAsBytes();
    } catch (HttpResponseException | ApiException e) {
      throw e;
    } catch (Exception e) {
      ApiError error = Errors.clientFault(e).orElse(ApiError.of(400, "malformed_body",
          "the request body could not be read"));
      log.atWarn().addKeyValue("requestId", requestId(ctx)).log("unreadable request body: {}", Errors.describe(e));
      throw new ApiException(error);
    }
  }

  /** {@code application/json}, in any case, with or without parameters such as charset. */
  static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private void stream(Context ctx, StoryRequest request) {
    SseStoryListener listener = new SseStoryListener(ctx.res(), json, error -> writeError(ctx, error));
    inFlight.begin();
    Runnable cut = () -> listener.shutdown(shuttingDownError());
    cutters.add(cut);
    ScheduledFuture<?> pings = keepAlive.scheduleAtFixedRate(listener::keepAlive, KEEP_ALIVE_SECONDS,
        KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    ctx.future(() -> {
      magic.stream(request, listener).whenComplete((story, error) -> {
        if (error != null && !listener.done().isDone()) {
          // The listener always hears the end from the pipeline; this only guards against a bug there.
          log.atWarn().addKeyValue("requestId", requestId(ctx)).log("stream ended without a final event");
          listener.abort();
          listener.done().complete(null);
        }
      });
      return listener.done().whenComplete((v, e) -> {
        pings.cancel(false);
        cutters.remove(cut);
        inFlight.end();
      });
    });
  }

  private void list(Context ctx) {
    int limit = 20;
    String limitParam = ctx.queryParam("limit");
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 100) {
        throw new ApiException(Errors.invalid(List.of(new FieldError("limit", "must be a whole number within 1..100"))));
      }
    }
    Optional<String> cursor = Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isBlank());
    StoryPage page;
    try {
      page = store.list(principal(ctx).uid(), cursor, limit);
    } catch (IllegalArgumentException e) {
      throw new ApiException(Errors.invalid(List.of(new FieldError("cursor", "is not a cursor this server issued"))));
    }
    send(ctx, 200, json.bytes(json.page(page)));
  }

  private void get(Context ctx) {
    Story story = storyId(ctx).flatMap(id -> store.find(principal(ctx).uid(), id))
        .orElseThrow(() -> notFound(ctx.pathParam("id")));
    send(ctx, 200, json.storyBytes(story));
  }

  private void delete(Context ctx) {
    boolean deleted = storyId(ctx).map(id -> store.delete(principal(ctx).uid(), id)).orElse(false);
    if (!deleted) {
      throw notFound(ctx.pathParam("id"));
    }
    ctx.status(204);
  }

  private void export(Context ctx) {
    ctx.header("Content-Disposition", "attachment; filename=\"storymagic-export.json\"");
    send(ctx, 200, json.bytes(json.export(store.export(principal(ctx).uid()))));
  }

  private void erase(Context ctx) {
    Principal principal = principal(ctx);
    long removed = store.deleteOwner(principal.uid());
    log.atInfo().addKeyValue("requestId", requestId(ctx)).addKeyValue("user", principal.uidHash())
        .addKeyValue("storiesRemoved", removed).log("erased a user's data");
    send(ctx, 200, json.bytes(java.util.Map.of("deletedStories", removed)));
  }

  // ------------------------------------------------------------------ helpers

  private static String accept(Context ctx) {
    String accept = ctx.header("Accept");
    return accept == null ? "" : accept;
  }

  private static Optional<String> storyId(Context ctx) {
    String id = ctx.pathParam("id");
    return STORY_ID.matcher(id).matches() ? Optional.of(id.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  private static ApiException notFound(String id) {
    String shown = id.length() > 40 ? id.substring(0, 40) + "..." : id;
    return new ApiException(ApiError.of(404, "not_found", "no story with id '" + shown + "'"));
  }

  private static Principal principal(Context ctx) {
    Principal p = ctx.attribute("principal");
    if (p == null) {
      throw Authenticator.unauthorized("authentication is required");
    }
    return p;
  }

  private ApiError errorFor(Context ctx, Throwable error) {
    Throwable cause = Errors.unwrap(error);
    if (cause instanceof StoryMagicException e) {
      return Errors.map(e);
    }
    if (cause instanceof ApiException e) {
      return e.error();
    }
    log.atError().setCause(cause).addKeyValue("requestId", requestId(ctx)).log("generation failed unexpectedly");
    return Errors.internal();
  }

  private static ApiError fromJavalin(HttpResponseException e) {
    int status = e.getStatus();
    return switch (status) {
      case 413 -> ApiError.of(413, "payload_too_large", "the body is larger than the server accepts");
      case 404 -> ApiError.of(404, "not_found", "no such resource");
      case 405 -> ApiError.of(405, "method_not_allowed", "this method is not allowed here");
      case 400 -> ApiError.of(400, "bad_request", e.getMessage() == null ? "bad request" : e.getMessage());
      default -> status >= 500 ? Errors.internal() : ApiError.of(status, "http_" + status,
          e.getMessage() == null ? "request failed" : e.getMessage());
    };
  }

  void writeError(Context ctx, ApiError error) {
    if (ctx.res().isCommitted()) {
      return;
    }
    error.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", s));
    if (error.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    ctx.attribute("errorCode", error.code());
    send(ctx, error.status(), json.bytes(json.error(error)));
  }

  private static void send(Context ctx, int status, byte[] body) {
    ctx.status(status).contentType("application/json").result(body);
  }

  /**
   * A random 128-bit request id. Request ids need to be unique, not unguessable, so they come from
   * ThreadLocalRandom rather than UUID.randomUUID's SecureRandom, which serialises under load.
   */
  static String newRequestId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static String matchedRoute(Context ctx) {
    try {
      var endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? null : endpoint.path;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String requestId(Context ctx) {
    String id = ctx.attribute("requestId");
    return id == null ? "-" : id;
  }

  private void logRequest(Context ctx, Float millis) {
    String slot = ctx.attribute("slot");
    if (slot != null) {
      ctx.attribute("slot", null);
      userSlots.release(slot);
    }
    String route = ctx.attribute("route");
    if (route == null) {
      route = matchedRoute(ctx);
    }
    String endpoint = route != null ? route : ctx.path().startsWith("/assets/") ? "/assets/*" : "unmatched";
    String method = ctx.method().name();
    int status = ctx.statusCode();
    EndpointTimers byEndpoint = timers.get(endpoint);
    if (byEndpoint == null) {
      byEndpoint = timers.computeIfAbsent(endpoint, e -> new EndpointTimers(e, meters));
    }
    byEndpoint.timer(ctx.method(), method, status).record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    if (endpoint.startsWith("/health") || endpoint.equals("/metrics")) {
      return; // probes every few seconds would drown the log
    }
    Principal principal = ctx.attribute("principal");
    var event = access.atInfo().addKeyValue("requestId", requestId(ctx)).addKeyValue("method", method)
        .addKeyValue("route", endpoint).addKeyValue("status", status)
        .addKeyValue("durationMs", Math.round(millis * 10) / 10.0);
    if (principal != null) {
      event = event.addKeyValue("user", principal.uidHash());
    }
    String tier = ctx.attribute("cacheTier");
    if (tier != null) {
      event = event.addKeyValue("cacheTier", tier); // for the operator; the caller is not told
    }
    String code = ctx.attribute("errorCode");
    if (code != null) {
      event = event.addKeyValue("errorCode", code);
    }
    event.log("{} {} {}", method, endpoint, status);
  }

  @Override
  public void close() {
    keepAlive.shutdownNow();
  }

  /** One endpoint's timers, by method and status code, registered on first use. */
  private static final class EndpointTimers {
    private static final int STATUSES = 600;
    private final String endpoint;
    private final MeterRegistry meters;
    private final java.util.concurrent.ConcurrentHashMap<io.javalin.http.HandlerType,
        java.util.concurrent.atomic.AtomicReferenceArray<Timer>> byMethod = new java.util.concurrent.ConcurrentHashMap<>();

    EndpointTimers(String endpoint, MeterRegistry meters) {
      this.endpoint = endpoint;
      this.meters = meters;
    }

    Timer timer(io.javalin.http.HandlerType type, String method, int status) {
      boolean kept = status >= 0 && status < STATUSES;
      var byStatus = byMethod.get(type);
      if (byStatus == null) {
        byStatus = byMethod.computeIfAbsent(type, t -> new java.util.concurrent.atomic.AtomicReferenceArray<>(STATUSES));
      }
      Timer timer = kept ? byStatus.get(status) : null;
      if (timer == null) {
        timer = Timer.builder("api_response_time").description("HTTP response time by endpoint")
            .tags("endpoint", endpoint, "method", method, "status", Integer.toString(status)).register(meters);
        if (kept) {
          byStatus.compareAndSet(status, null, timer);
        }
      }
      return timer;
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
