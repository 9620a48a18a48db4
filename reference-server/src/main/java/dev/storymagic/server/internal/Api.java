package dev.storymagic.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.FieldError;
import dev.storymagic.Story;
import dev.storymagic.StoryAsset;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.AssetStore;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
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
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

  /** The request attribute {@link #send} sets once the request has its answer. */
  private static final String ANSWERED = "storymagic.answered";

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          + "frame-ancestors 'none'";
  private static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, Accept, Idempotency-Key, X-Request-Id";
  private static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After, Location";
  private static final long KEEP_ALIVE_SECONDS = 5;
  private static final Set<String> PUBLIC_API = Set.of("/api/themes");

  /**
   * The headers every answer carries, encoded once: added to the response as they are, with no
   * header-name lookup, no search for an earlier value and no encoding per request.
   */
  private static final List<org.eclipse.jetty.http.HttpField> EVERY_ANSWER =
      List.of(
          new org.eclipse.jetty.http.PreEncodedHttpField(
              "Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
          new org.eclipse.jetty.http.PreEncodedHttpField("Content-Security-Policy", CSP),
          new org.eclipse.jetty.http.PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
          new org.eclipse.jetty.http.PreEncodedHttpField("X-Frame-Options", "DENY"),
          new org.eclipse.jetty.http.PreEncodedHttpField("Referrer-Policy", "no-referrer"));

  private static final org.eclipse.jetty.http.HttpField NO_STORE =
      new org.eclipse.jetty.http.PreEncodedHttpField("Cache-Control", "no-store");

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
  private final java.util.concurrent.ConcurrentHashMap<String, EndpointTimers> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Set<String> corsOrigins;
  private final boolean corsAny;
  private final int maxBodyBytes;
  private final java.util.function.BooleanSupplier shuttingDown;

  /** Whether the current request thread may wait for its generation (a virtual thread). */
  private final java.util.function.BooleanSupplier mayBlock;

  private final java.util.concurrent.Semaphore blockingGenerations =
      new java.util.concurrent.Semaphore(MAX_BLOCKING_GENERATIONS);
  private final StoryAssets assets;
  private final ScheduledExecutorService keepAlive =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sse-keep-alive");
            t.setDaemon(true);
            return t;
          });

  /** Everything the API needs. */
  public record Dependencies(
      StoryMagic magic,
      StoryStore store,
      Authenticator auth,
      StoryJson json,
      HealthService health,
      PrometheusMeterRegistry prometheus,
      MeterRegistry meters,
      InFlight inFlight,
      UserSlots userSlots,
      List<String> corsOrigins,
      int maxBodyBytes,
      java.util.function.BooleanSupplier shuttingDown,
      StoryAssets assets,
      java.util.function.BooleanSupplier mayBlock) {

    /**
     * What the server passes: a request generates on its own thread when that thread is virtual
     * (Java 21 and later), through the SDK's pool otherwise.
     */
    public static java.util.function.BooleanSupplier onVirtualThreads() {
      return org.eclipse.jetty.util.VirtualThreads::isVirtualThread;
    }
  }

  /**
   * Generations waiting on request threads at once, the bound the SDK puts on its own pool (the
   * server keeps the SDK's default); beyond it a request is answered 503 at once.
   */
  static final int MAX_BLOCKING_GENERATIONS = StoryMagic.DEFAULT_MAX_IN_FLIGHT;

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
    this.assets = d.assets();
    this.mayBlock = d.mayBlock();
  }

  public void configure(JavalinConfig config) {
    config.http.maxRequestSize = maxBodyBytes;
    config.http.defaultContentType = "application/json";
    config.requestLogger.http(this::logRequest);
    var routes = config.routes;
    routes.before(
        this::beforeAll); // authenticates /api/* too: one before-handler to match per request
    routes.beforeMatched(ctx -> ctx.attribute("route", matchedRoute(ctx)));

    routes.get("/health", this::health);
    routes.get("/health/live", ctx -> ctx.json(java.util.Map.of("status", "ok")));
    routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(prometheus.scrape()));

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
    // Story pictures and recordings: made on request, served content-addressed and immutable.
    routes.post("/api/stories/{id}/illustrations", ctx -> addAssets(ctx, false));
    routes.post("/api/stories/{id}/narration", ctx -> addAssets(ctx, true));
    routes.get("/assets/stories/{file}", this::serveAsset);
    routes.head("/assets/stories/{file}", this::serveAsset);
    routes.delete("/api/me", this::erase);

    routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e.error()));
    routes.exception(StoryMagicException.class, (e, ctx) -> writeError(ctx, Errors.map(e)));
    routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, fromJavalin(e)));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          Optional<ApiError> clientFault = Errors.clientFault(e);
          if (clientFault.isPresent()) {
            // Broken framing, a body cut short or never finished: the client's doing, one line at
            // WARN.
            log.atWarn()
                .addKeyValue("requestId", requestId(ctx))
                .log("unreadable request: {}", Errors.describe(e));
            writeError(ctx, clientFault.get());
            return;
          }
          log.atError().setCause(e).addKeyValue("requestId", requestId(ctx)).log("unhandled error");
          writeError(ctx, Errors.internal());
        });
    routes.error(
        404,
        ctx -> {
          if (!answered(ctx)) {
            writeError(
                ctx,
                ApiError.of(
                    404, "not_found", "no such resource: " + ctx.method() + " " + ctx.path()));
          }
        });
    routes.error(
        405,
        ctx -> {
          if (!answered(ctx)) {
            writeError(
                ctx,
                ApiError.of(
                    405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
          }
        });
  }

  // ------------------------------------------------------------------ filters

  private void beforeAll(Context ctx) {
    String incoming = ctx.header("X-Request-Id");
    String id =
        incoming != null && REQUEST_ID.matcher(incoming).matches() ? incoming : newRequestId();
    ctx.attribute("requestId", id);
    String path = ctx.path();
    boolean api = path.startsWith("/api/");
    var jetty =
        org.eclipse.jetty.ee10.servlet.ServletContextResponse.getServletContextResponse(ctx.res());
    if (jetty != null) {
      // A fresh response: added, not set (nothing to replace yet); later handlers set what they
      // change.
      var headers = jetty.getHeaders();
      headers.add(new org.eclipse.jetty.http.HttpField(null, "X-Request-Id", id));
      for (int i = 0; i < EVERY_ANSWER.size(); i++) {
        headers.add(EVERY_ANSWER.get(i));
      }
      if (api) {
        headers.add(NO_STORE);
      }
    } else {
      ctx.header("X-Request-Id", id);
      for (org.eclipse.jetty.http.HttpField field : EVERY_ANSWER) {
        ctx.header(field.getName(), field.getValue());
      }
      if (api) {
        ctx.header(NO_STORE.getName(), NO_STORE.getValue());
      }
    }
    if (api) {
      cors(ctx);
    }
    long length = ctx.req().getContentLengthLong();
    if (length > maxBodyBytes) {
      throw new ApiException(tooLarge(length));
    }
    if (api) {
      authenticate(ctx);
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
      throw new ApiException(
          ApiError.of(403, "cors_origin_not_allowed", "this origin may not call the API"));
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
      // Refused before the body is read: a client holding many half-sent requests pins nothing
      // more.
      throw new ApiException(
          ApiError.of(
                  429,
                  "too_many_in_flight",
                  "too many of your requests are open at once; wait for one to finish")
              .withRetryAfter(java.time.Duration.ofSeconds(1)));
    }
    ctx.attribute("slot", principal.uid());
  }

  // ------------------------------------------------------------------ handlers

  private void health(Context ctx) {
    HealthService.Report report = health.check();
    ctx.header("Cache-Control", "no-store");
    send(ctx, report.httpStatus(), json.bytes(report.body()));
  }

  // The generation's callback answers both outcomes; its own future is not needed.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void create(Context ctx) {
    if (shuttingDown.getAsBoolean()) {
      throw new ApiException(shuttingDownError());
    }
    String contentType = ctx.header("Content-Type");
    if (contentType != null && !isJson(contentType)) {
      throw new ApiException(
          ApiError.of(415, "unsupported_media_type", "send the story request as application/json"));
    }
    Principal principal = principal(ctx);
    byte[] body = readBody(ctx);
    RequestBody read = json.readRequest(body);
    StoryRequest.Builder builder = read.request().toBuilder().owner(principal.uid());
    AssetOptions wanted = read.assets();
    if (wanted.narrate() && !assets.canNarrate()) {
      throw new ApiException(narrationUnavailable());
    }
    String key = ctx.header("Idempotency-Key");
    if (key != null) {
      if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
        throw new ApiException(
            Errors.invalid(
                List.of(
                    new FieldError(
                        "Idempotency-Key", "must be 1 to 200 visible ASCII characters"))));
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
      stream(ctx, request, wanted);
      return;
    }
    if (mayBlock.getAsBoolean()) {
      createHere(ctx, principal, request, wanted);
      return;
    }
    inFlight.begin();
    ctx.future(
        () -> {
          // Answered once: by the generation, or by shutdown when the grace runs out first.
          java.util.concurrent.atomic.AtomicBoolean answered =
              new java.util.concurrent.atomic.AtomicBoolean();
          CompletableFuture<Void> response = new CompletableFuture<>();
          CompletableFuture<Story> generation = magic.generateAsync(request);
          Runnable cut =
              () -> {
                if (answered.compareAndSet(false, true)) {
                  generation.cancel(true);
                  writeError(ctx, shuttingDownError());
                  response.complete(null);
                }
              };
          cutters.add(cut);
          generation.handle(
              (story, error) -> {
                if (answered.compareAndSet(false, true)) {
                  if (error != null) {
                    writeError(ctx, errorFor(ctx, error));
                  } else {
                    created(ctx, principal, story, wanted);
                  }
                  response.complete(null);
                }
                return null;
              });
          return response.whenComplete(
              (v, e) -> {
                cutters.remove(cut);
                inFlight.end();
              });
        });
  }

  /**
   * A generation on the request's own (virtual) thread: no hand-off to the SDK's pool and back, no
   * asynchronous servlet request. Answered once, as on the asynchronous path: by the generation, or
   * by shutdown when the grace runs out first, which interrupts the generation (model calls end
   * within milliseconds of an interrupt) and answers 503.
   */
  private void createHere(
      Context ctx, Principal principal, StoryRequest request, AssetOptions wanted) {
    if (!blockingGenerations.tryAcquire()) {
      writeError(
          ctx,
          Errors.map(
              new StoryMagicException.ModelUnavailable(
                  StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL,
                  "more than " + MAX_BLOCKING_GENERATIONS + " generations in flight",
                  java.time.Duration.ofSeconds(1),
                  null)));
      return;
    }
    inFlight.begin();
    java.util.concurrent.atomic.AtomicBoolean answered =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread worker = Thread.currentThread();
    Runnable cut =
        () -> {
          if (answered.compareAndSet(false, true)) {
            worker.interrupt();
          }
        };
    cutters.add(cut);
    try {
      Story story = null;
      RuntimeException failure = null;
      try {
        story = magic.generate(request);
      } catch (RuntimeException e) {
        failure = e;
      }
      boolean mine = answered.compareAndSet(false, true);
      // An interrupt from the shutdown must not break the write of the answer.
      Thread.interrupted();
      if (!mine) {
        writeError(ctx, shuttingDownError());
      } else if (failure != null) {
        writeError(ctx, errorFor(ctx, failure));
      } else {
        created(ctx, principal, story, wanted);
      }
    } finally {
      cutters.remove(cut);
      inFlight.end();
      blockingGenerations.release();
    }
    takeTurn();
  }

  /**
   * Lets the requests of other connections go first before this one completes. Jetty serves a
   * connection's next request on the thread that served a request with a body (its {@code
   * HttpConnection.onFillable} loops while it holds the request's buffer, and a busy client's next
   * request is already there once the answer is out), so one virtual thread would go on serving one
   * client while the requests of others wait in the scheduler's queue: the cached POST's p99 was
   * 2–3× that of a GET at the same rate, bare Javalin's POST about 2× its GET's. Yielding before
   * completing puts this thread behind them; when it resumes, the answer goes out and the
   * connection waits for its next request in the selector, as after a GET. Platform threads (Java
   * 17) are left to the operating system.
   */
  @SuppressWarnings("ThreadPriorityCheck") // a virtual thread's yield is a turn in its scheduler
  private static void takeTurn() {
    if (org.eclipse.jetty.util.VirtualThreads.isVirtualThread()) {
      Thread.yield();
    }
  }

  /** 201 with the story; pictures and recordings asked for follow (GET the story, or stream). */
  private void created(Context ctx, Principal principal, Story story, AssetOptions wanted) {
    ctx.header("Location", "/api/stories/" + story.id());
    ctx.attribute("cacheTier", story.cacheTier().label());
    if (!wanted.any()) {
      send(ctx, 201, json.storyBytes(story));
      return;
    }
    send(ctx, 201, json.bytes(withPendingAssets(json.story(story), wanted)));
    makeAssets(principal.uid(), story, wanted, a -> {})
        .exceptionally(
            e -> {
              log.atWarn()
                  .addKeyValue("requestId", requestId(ctx))
                  .log("story assets failed: {}", Errors.describe(Errors.unwrap(e)));
              return null;
            });
  }

  /**
   * The answer for requests still open when the shutdown grace runs out: retry on another server.
   */
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
      long declared = ctx.req().getContentLengthLong();
      if (declared < 0) {
        return ctx.bodyAsBytes(); // chunked: Javalin's reader enforces the size limit as it reads
      }
      // The length is known, and within the limit (beforeAll refused any above it): read exactly
      // that many bytes. Javalin's reader copies every body through a new 8 KB chunk and a growing
      // buffer.
      byte[] body = ctx.req().getInputStream().readNBytes((int) declared);
      if (body.length < declared) {
        throw new ApiException(
            ApiError.of(
                400,
                "malformed_body",
                "the request body ended after " + body.length + " of " + declared + " bytes"));
      }
      return body;
    } catch (HttpResponseException | ApiException e) {
      throw e;
    } catch (Exception e) {
      ApiError error =
          Errors.clientFault(e)
              .orElse(ApiError.of(400, "malformed_body", "the request body could not be read"));
      log.atWarn()
          .addKeyValue("requestId", requestId(ctx))
          .log("unreadable request body: {}", Errors.describe(e));
      throw new ApiException(error);
    }
  }

  private ApiError tooLarge(long length) {
    return ApiError.of(
        413,
        "payload_too_large",
        "the body is " + length + " bytes; at most " + maxBodyBytes + " are accepted");
  }

  /** {@code application/json}, in any case, with or without parameters such as charset. */
  static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  // The stream's callback only guards against a missing final event; its future is not needed.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void stream(Context ctx, StoryRequest request, AssetOptions wanted) {
    String owner = principal(ctx).uid();
    SseStoryListener[] self = new SseStoryListener[1];
    SseStoryListener listener =
        new SseStoryListener(
            ctx.res(),
            json,
            error -> writeError(ctx, error),
            !wanted.any()
                ? null
                : story -> {
                  // After the story event: one asset event per stored picture or recording, then
                  // the list.
                  self[0].event(
                      "assets-pending",
                      json.string(withPendingAssets(json.mapper().createObjectNode(), wanted)));
                  return makeAssets(
                          owner,
                          story,
                          wanted,
                          a -> self[0].event("asset", json.string(assetJson(a))))
                      .handle(
                          (all, error) -> {
                            if (error != null) {
                              Throwable cause = Errors.unwrap(error);
                              ApiError mapped =
                                  cause instanceof ApiException e
                                      ? e.error()
                                      : cause instanceof StoryMagicException e
                                          ? Errors.map(e)
                                          : ApiError.of(
                                              503,
                                              "assets_failed",
                                              "the pictures could not be made; try again later");
                              log.atWarn()
                                  .addKeyValue("requestId", requestId(ctx))
                                  .log("story assets failed: {}", Errors.describe(cause));
                              self[0].event("asset-error", json.string(json.error(mapped)));
                            } else {
                              self[0].event("assets", json.string(assetsJson(all)));
                            }
                            return null;
                          });
                });
    self[0] = listener;
    inFlight.begin();
    Runnable cut = () -> listener.shutdown(shuttingDownError());
    cutters.add(cut);
    ScheduledFuture<?> pings =
        keepAlive.scheduleAtFixedRate(
            listener::keepAlive, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    ctx.future(
        () -> {
          magic.stream(request, listener)
              .whenComplete(
                  (story, error) -> {
                    if (error != null && !listener.done().isDone()) {
                      // The listener always hears the end from the pipeline; this only guards
                      // against a bug there.
                      log.atWarn()
                          .addKeyValue("requestId", requestId(ctx))
                          .log("stream ended without a final event");
                      listener.abort();
                      listener.done().complete(null);
                    }
                  });
          return listener
              .done()
              .whenComplete(
                  (v, e) -> {
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
        throw new ApiException(
            Errors.invalid(
                List.of(new FieldError("limit", "must be a whole number within 1..100"))));
      }
    }
    Optional<String> cursor =
        Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isBlank());
    StoryPage page;
    try {
      page = store.list(principal(ctx).uid(), cursor, limit);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          Errors.invalid(List.of(new FieldError("cursor", "is not a cursor this server issued"))));
    }
    send(ctx, 200, json.bytes(json.page(page)));
  }

  private void get(Context ctx) {
    String owner = principal(ctx).uid();
    Story story =
        storyId(ctx)
            .flatMap(id -> store.find(owner, id))
            .orElseThrow(() -> notFound(ctx.pathParam("id")));
    // Written from the story's serialised text, as the cached POST is; no tree.
    send(ctx, 200, json.storyBytes(story, assets.store().list(owner, story.id())));
  }

  private void delete(Context ctx) {
    String owner = principal(ctx).uid();
    Optional<String> id = storyId(ctx);
    boolean deleted = id.map(i -> store.delete(owner, i)).orElse(false);
    if (!deleted) {
      throw notFound(ctx.pathParam("id"));
    }
    assets.store().deleteStory(owner, id.get());
    ctx.status(204);
  }

  private void export(Context ctx) {
    String owner = principal(ctx).uid();
    ctx.header("Content-Disposition", "attachment; filename=\"storymagic-export.json\"");
    ObjectNode node = json.export(store.export(owner));
    node.set("assets", assetsJson(assets.store().list(owner)).get("assets"));
    send(ctx, 200, json.bytes(node));
  }

  private void erase(Context ctx) {
    Principal principal = principal(ctx);
    // Files first: should the asset storage fail, the stories are still there and a retry erases
    // both.
    int files = assets.store().deleteOwner(principal.uid());
    long removed = store.deleteOwner(principal.uid());
    log.atInfo()
        .addKeyValue("requestId", requestId(ctx))
        .addKeyValue("user", principal.uidHash())
        .addKeyValue("storiesRemoved", removed)
        .addKeyValue("assetFilesRemoved", files)
        .log("erased a user's data");
    send(
        ctx,
        200,
        json.bytes(java.util.Map.of("deletedStories", removed, "deletedAssetFiles", files)));
  }

  // ------------------------------------------------------------------ story assets

  /**
   * {@code POST /api/stories/{id}/illustrations} and {@code /narration}: makes them now and lists
   * them.
   */
  private void addAssets(Context ctx, boolean narration) {
    String owner = principal(ctx).uid();
    Story story =
        storyId(ctx)
            .flatMap(id -> store.find(owner, id))
            .orElseThrow(() -> notFound(ctx.pathParam("id")));
    if (narration && !assets.canNarrate()) {
      throw new ApiException(narrationUnavailable());
    }
    AssetOptions wanted = new AssetOptions(!narration, narration);
    ctx.future(
        () ->
            makeAssets(owner, story, wanted, a -> {})
                .handle(
                    (all, error) -> {
                      if (error != null) {
                        writeError(ctx, errorFor(ctx, error));
                      } else {
                        send(ctx, 201, json.bytes(assetsJson(all)));
                      }
                      return null;
                    }));
  }

  private CompletableFuture<List<StoryAsset>> makeAssets(
      String owner,
      Story story,
      AssetOptions wanted,
      java.util.function.Consumer<StoryAsset> onAsset) {
    CompletableFuture<List<StoryAsset>> pictures =
        wanted.illustrate()
            ? assets.illustrate(owner, story, onAsset)
            : CompletableFuture.completedFuture(List.of());
    if (!wanted.narrate()) {
      return pictures;
    }
    return pictures.thenCompose(
        p ->
            assets
                .narrate(owner, story, onAsset)
                .thenApply(
                    n -> {
                      List<StoryAsset> all = new java.util.ArrayList<>(p);
                      all.addAll(n);
                      return all;
                    }));
  }

  /**
   * {@code GET /assets/stories/<sha256>.<ext>}: only files a story still uses; immutable for a
   * year.
   */
  private void serveAsset(Context ctx) {
    String key = "stories/" + ctx.pathParam("file");
    AssetStore.Body body =
        assets
            .store()
            .open(key)
            .orElseThrow(() -> new ApiException(ApiError.of(404, "not_found", "no such asset")));
    String etag = "\"" + key.substring(8, 8 + 64) + "\"";
    ctx.header("Cache-Control", StaticSite.IMMUTABLE);
    ctx.header("ETag", etag);
    // A picture is shown, never run: no scripts, no plug-ins, even if opened on its own.
    ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    // Written directly: a picture or a recording carries no charset (the container would add one
    // to a content type set through the framework, whose default encoding is UTF-8).
    byte[] bytes = body.bytes();
    jakarta.servlet.http.HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setCharacterEncoding(null);
    res.setContentType(body.type().contentType());
    res.setContentLength(bytes.length);
    if (!ctx.method().name().equals("HEAD")) {
      try {
        res.getOutputStream().write(bytes);
      } catch (java.io.IOException e) {
        log.debug("a client left while an asset was sent: {}", e.toString());
      }
    }
  }

  private ObjectNode assetJson(StoryAsset a) {
    ObjectNode o = json.mapper().createObjectNode();
    o.put("kind", a.kind().label())
        .put("index", a.index())
        .put("url", a.path())
        .put("contentType", a.type().contentType())
        .put("size", a.size())
        .put("alt", a.altText())
        .put("model", a.model())
        .put("storyId", a.storyId());
    return o;
  }

  private ObjectNode assetsJson(List<StoryAsset> list) {
    ObjectNode o = json.mapper().createObjectNode();
    var array = o.putArray("assets");
    for (StoryAsset a : list) {
      array.add(assetJson(a));
    }
    return o;
  }

  private static ObjectNode withPendingAssets(ObjectNode node, AssetOptions wanted) {
    node.putArray("assets");
    var pending = node.putArray("assetsPending");
    if (wanted.illustrate()) {
      pending.add("illustrations");
    }
    if (wanted.narrate()) {
      pending.add("narration");
    }
    return node;
  }

  private static ApiError narrationUnavailable() {
    return ApiError.of(
        409,
        "narration_unavailable",
        "this server has no speech model (OPENAI_SPEECH_MODEL); "
            + "read the story aloud with the device's own voice");
  }

  // ------------------------------------------------------------------ helpers

  private static String accept(Context ctx) {
    String accept = ctx.header("Accept");
    return accept == null ? "" : accept;
  }

  private static Optional<String> storyId(Context ctx) {
    String id = ctx.pathParam("id");
    return looksLikeStoryId(id) ? Optional.of(id.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /**
   * 36 hexadecimal digits and dashes, the shape of a story id, checked without a regex per read.
   */
  static boolean looksLikeStoryId(String id) {
    if (id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean hexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!digit && !hexLetter && c != '-') {
        return false;
      }
    }
    return true;
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
    log.atError()
        .setCause(cause)
        .addKeyValue("requestId", requestId(ctx))
        .log("generation failed unexpectedly");
    return Errors.internal();
  }

  private static ApiError fromJavalin(HttpResponseException e) {
    int status = e.getStatus();
    return switch (status) {
      case 413 ->
          ApiError.of(413, "payload_too_large", "the body is larger than the server accepts");
      case 404 -> ApiError.of(404, "not_found", "no such resource");
      case 405 -> ApiError.of(405, "method_not_allowed", "this method is not allowed here");
      case 400 ->
          ApiError.of(400, "bad_request", e.getMessage() == null ? "bad request" : e.getMessage());
      default ->
          status >= 500
              ? Errors.internal()
              : ApiError.of(
                  status,
                  "http_" + status,
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

  /**
   * Writes a JSON answer into the response's buffer, once per request: a later answer to the same
   * request (an error thrown after the answer was written) is dropped. Javalin's result stream
   * would copy the body through a new 32 KB buffer on every response, 12 % of a story read's CPU;
   * written here, the body still goes out in one piece with its length, or compressed when the
   * client asks, when Javalin completes the response.
   */
  private static void send(Context ctx, int status, byte[] body) {
    if (answered(ctx)) {
      log.atDebug()
          .addKeyValue("requestId", requestId(ctx))
          .log("a second answer ({}) to an answered request was dropped", status);
      return;
    }
    ctx.attribute(ANSWERED, true);
    ctx.status(status).contentType("application/json");
    try {
      ctx.outputStream().write(body);
    } catch (java.io.IOException e) {
      // The client went away while a large answer was being written: nobody left to answer.
      log.atDebug()
          .addKeyValue("requestId", requestId(ctx))
          .log("answer not delivered: {}", e.toString());
    }
  }

  /**
   * Whether this request has its answer: written by {@link #send}, set as a result by Javalin, or
   * already on its way to the client.
   */
  private static boolean answered(Context ctx) {
    return ctx.attribute(ANSWERED) != null
        || ctx.resultInputStream() != null
        || ctx.res().isCommitted();
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
    String endpoint =
        route != null ? route : ctx.path().startsWith("/assets/") ? "/assets/*" : "unmatched";
    String method = ctx.method().name();
    int status = ctx.statusCode();
    EndpointTimers byEndpoint = timers.get(endpoint);
    if (byEndpoint == null) {
      byEndpoint = timers.computeIfAbsent(endpoint, e -> new EndpointTimers(e, meters));
    }
    Outcome outcome = byEndpoint.outcome(ctx.method(), method, status);
    outcome.timer().record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    if (!outcome.logged()) {
      return; // probes every few seconds would drown the log
    }
    Principal principal = ctx.attribute("principal");
    var event =
        access
            .atInfo()
            .addKeyValue("requestId", requestId(ctx))
            .addKeyValue("method", method)
            .addKeyValue("route", endpoint)
            .addKeyValue("status", status)
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
    event.log(outcome.line()); // "POST /api/stories 201", made once per endpoint, method and status
  }

  @Override
  public void close() {
    keepAlive.shutdownNow();
  }

  /**
   * What one endpoint, method and status records: its api_response_time timer and its access-log
   * message, both made on first use and shared by every later request with that outcome.
   */
  private record Outcome(Timer timer, String line, boolean logged) {}

  /** One endpoint's outcomes, by method and status code, registered on first use. */
  private static final class EndpointTimers {
    private static final int STATUSES = 600;
    private final String endpoint;
    private final boolean logged;
    private final MeterRegistry meters;
    private final java.util.concurrent.ConcurrentHashMap<
            io.javalin.http.HandlerType, java.util.concurrent.atomic.AtomicReferenceArray<Outcome>>
        byMethod = new java.util.concurrent.ConcurrentHashMap<>();

    EndpointTimers(String endpoint, MeterRegistry meters) {
      this.endpoint = endpoint;
      this.logged = !endpoint.startsWith("/health") && !endpoint.equals("/metrics");
      this.meters = meters;
    }

    Outcome outcome(io.javalin.http.HandlerType type, String method, int status) {
      boolean kept = status >= 0 && status < STATUSES;
      var byStatus = byMethod.get(type);
      if (byStatus == null) {
        byStatus =
            byMethod.computeIfAbsent(
                type, t -> new java.util.concurrent.atomic.AtomicReferenceArray<>(STATUSES));
      }
      Outcome outcome = kept ? byStatus.get(status) : null;
      if (outcome == null) {
        Timer timer =
            Timer.builder("api_response_time")
                .description("HTTP response time by endpoint")
                .tags("endpoint", endpoint, "method", method, "status", Integer.toString(status))
                .register(meters);
        outcome = new Outcome(timer, method + " " + endpoint + " " + status, logged);
        if (kept && !byStatus.compareAndSet(status, null, outcome)) {
          outcome = byStatus.get(status);
        }
      }
      return outcome;
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
