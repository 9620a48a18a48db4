package dev.storymagic.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.SafetyCategory;
import dev.storymagic.server.internal.StdoutAppender;
import io.javalin.Javalin;
import io.javalin.http.UnauthorizedResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up warm-up ({@code WARM_UP_REQUESTS}): before the server binds its port, a private copy of
 * it on a loopback port serves that many story requests through the same code — Jetty, the API, the
 * pipeline, the safety filter, the model client, the JSON — so the JIT has compiled the request
 * path before the load balancer sends the first real request. A fresh task otherwise meets its
 * first burst interpreting: 1,000 concurrent generations took about twice as long on a fresh server
 * as on one that had served a few thousand.
 *
 * <p>The copy keeps to itself: its own in-memory store, cache and meters; no database, Redis,
 * metrics export, tracing, sign-in (loopback only, the development identity) or learned safety
 * model (native code, nothing for the JIT; the lexicon's Java path is warmed). With a model
 * provider configured, the copy's model client talks to a stand-in provider on loopback that
 * answers every call with one gentle story, so no warm-up call leaves the process or costs a token.
 * The copy's own log lines are held back; one line reports the warm-up.
 */
final class ServerWarmUp {
  private static final Logger log = LoggerFactory.getLogger(ServerWarmUp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requests in flight at once: enough to compile the concurrent paths, few connections. */
  static final int CONCURRENCY = 32;

  /**
   * The warm-up stops sending after this and the server starts either way: well inside the
   * container health check's 40 s start period, during which the port is not yet bound.
   */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Every eighth request reads its story back, every fourth is one the cache answers. */
  private static final int READ_BACK_EVERY = 8;

  private static final int CACHED_EVERY = 4;

  private ServerWarmUp() {}

  /** What a warm-up did. */
  record Outcome(int sent, Map<Integer, Integer> statuses, Duration took) {
    /** Whether every request sent had a 2xx answer. */
    boolean allAnswered() {
      return statuses.keySet().stream().allMatch(status -> status >= 200 && status < 300);
    }
  }

  /**
   * Serves {@code config.warmUpRequests()} requests through a private copy of the server described
   * by {@code config}, then stops it. Never throws for a failed request: the server starts anyway
   * and the outcome says what happened.
   */
  static Outcome run(ServerConfig config, BooleanSupplier generateOnRequestThread) {
    Outcome outcome =
        serve(
            config,
            Duration.ZERO,
            config.model(),
            config.warmUpRequests() + 16,
            generateOnRequestThread,
            port -> {
              Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
              int sent =
                  drive(
                      port,
                      config.warmUpRequests(),
                      CONCURRENCY,
                      System.nanoTime() + DEADLINE.toNanos(),
                      statuses);
              return new Outcome(sent, statuses, Duration.ZERO);
            });
    if (outcome.allAnswered()) {
      log.info(
          "warmed up in {} ms: {} story requests through a private copy of the server",
          outcome.took().toMillis(),
          outcome.sent());
    } else {
      log.warn(
          "warm-up in {} ms: {} story requests, answers by status {} (-1: no answer)",
          outcome.took().toMillis(),
          outcome.sent(),
          outcome.statuses());
    }
    return outcome;
  }

  /**
   * An ahead-of-time training run ({@code StoryMagicServer --aot-training}): bursts of concurrent
   * story requests through a private copy of the server, as a task meets them, so that a JVM
   * recording an ahead-of-time cache ({@code -XX:AOTCacheOutput}, Java 25) records the classes and
   * method profiles of the burst path. The stand-in provider answers after {@code
   * training.modelLatency()}, so a burst's calls are in flight together as real ones are.
   */
  static Outcome train(
      ServerConfig config, Training training, BooleanSupplier generateOnRequestThread) {
    // A whole burst in flight at once, as on a server sized for it (MODEL_MAX_CONCURRENCY): shed
    // requests would train the refusal path instead of the generation path.
    ServerConfig.Model model =
        new ServerConfig.Model(
            Math.max(config.model().maxConcurrency(), training.burst()),
            config.model().timeout(),
            config.model().offlineStreamPace());
    return serve(
        config,
        training.modelLatency(),
        model,
        training.rounds() * training.burst() + 16,
        generateOnRequestThread,
        port -> {
          Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
          int sent = 0;
          for (int round = 1; round <= training.rounds(); round++) {
            long roundStart = System.nanoTime();
            Map<Integer, Integer> roundStatuses = new ConcurrentHashMap<>();
            sent +=
                drive(
                    port,
                    training.burst(),
                    training.burst(),
                    System.nanoTime() + Training.ROUND_DEADLINE.toNanos(),
                    roundStatuses);
            roundStatuses.forEach((status, n) -> statuses.merge(status, n, Integer::sum));
            // Through System.err: the copy's log lines are held back while it runs.
            System.err.printf(
                "ahead-of-time training: burst %d of %d, %d requests in %d ms, answers by status"
                    + " %s%n",
                round,
                training.rounds(),
                training.burst(),
                Duration.ofNanos(System.nanoTime() - roundStart).toMillis(),
                new TreeMap<>(roundStatuses));
          }
          return new Outcome(sent, statuses, Duration.ZERO);
        });
  }

  /**
   * What a training run sends: {@code rounds} bursts of {@code burst} requests all at once (fresh
   * requests with a model call each, some the cache answers, some read back), to a stand-in
   * provider answering after {@code modelLatency}.
   */
  record Training(int rounds, int burst, Duration modelLatency) {
    /** Six bursts of a thousand, answered after a second: the burst test's shape, shorter. */
    static final Training DEFAULT = new Training(6, 1_000, Duration.ofSeconds(1));

    /** A burst still unanswered after this has failed; the run goes on with the next. */
    static final Duration ROUND_DEADLINE = Duration.ofSeconds(60);

    Training {
      if (rounds < 1 || burst < 1 || modelLatency.isNegative()) {
        throw new IllegalArgumentException(
            "a training run needs rounds >= 1, burst >= 1 and a latency >= 0");
      }
    }
  }

  /** What the driver does with the private copy's port. */
  private interface Driver {
    Outcome drive(int port) throws InterruptedException;
  }

  /**
   * Starts the stand-in provider (if a provider is configured) and a private copy of the server
   * with {@code model}'s limits, holding at most {@code storeCapacity} stories, runs {@code driver}
   * against it, and stops both. Never throws for a failed request: the outcome's statuses say what
   * happened (-1: no answer).
   */
  private static Outcome serve(
      ServerConfig config,
      Duration modelLatency,
      ServerConfig.Model model,
      int storeCapacity,
      BooleanSupplier generateOnRequestThread,
      Driver driver) {
    long start = System.nanoTime();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    int sent = 0;
    Path assets = null;
    String key = secret();
    HeldBackLogs held = HeldBackLogs.hold();
    Javalin provider = null;
    try {
      if (config.openAi().isPresent()) {
        provider = StandInProvider.start(config, key, modelLatency);
      }
      assets = Files.createTempDirectory("storymagic-warm-up");
      ServerConfig copy = privateCopy(config, provider, key, assets, model, storeCapacity);
      try (StoryMagicServer server =
          StoryMagicServer.start(copy, line -> {}, generateOnRequestThread)) {
        Outcome driven = driver.drive(server.port());
        sent = driven.sent();
        statuses.putAll(driven.statuses());
      }
    } catch (IOException | RuntimeException e) {
      statuses.merge(-1, 1, Integer::sum);
      held.release();
      log.warn("warm-up stopped early: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (provider != null) {
        provider.stop();
      }
      deleteQuietly(assets);
      held.release();
    }
    return new Outcome(sent, new TreeMap<>(statuses), Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The configuration of the private copy: loopback, any free port, no limits per caller, nothing
   * shared with the real server, the stand-in provider instead of the real one.
   */
  static ServerConfig privateCopy(
      ServerConfig config,
      Javalin provider,
      String key,
      Path assetsFolder,
      ServerConfig.Model model,
      int storeCapacity) {
    ServerConfig.Http http =
        ServerConfig.Http.builder()
            .host("127.0.0.1")
            .port(0)
            .maxBodyBytes(config.http().maxBodyBytes())
            .bodyReadTimeout(config.http().bodyReadTimeout())
            .shutdownGrace(Duration.ofSeconds(5))
            .rateLimitPerMinute(0)
            .maxInFlightPerUser(0)
            .build();
    Optional<ServerConfig.OpenAi> openAi =
        config
            .openAi()
            .map(
                real ->
                    new ServerConfig.OpenAi(
                        key,
                        "http://127.0.0.1:" + provider.port() + "/v1",
                        real.model(),
                        real.moderation(),
                        false));
    return new ServerConfig(
        "warm-up",
        http,
        model,
        Optional.empty(),
        Optional.empty(),
        openAi,
        Optional.empty(),
        false,
        storeCapacity,
        new ServerConfig.Metrics(false, config.metrics().flushInterval()),
        new ServerConfig.Assets(
            Optional.empty(),
            Optional.empty(),
            config.assets().region(),
            assetsFolder,
            config.assets().maxScenes(),
            Optional.empty(),
            Optional.empty()),
        TracingConfig.OFF,
        0);
  }

  /**
   * Sends {@code count} requests, at most {@code concurrency} at once, none after {@code deadline}
   * ({@link System#nanoTime()}); returns how many went.
   */
  private static int drive(
      int port, int count, int concurrency, long deadline, Map<Integer, Integer> statuses)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI stories = URI.create("http://127.0.0.1:" + port + "/api/stories");
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<?>> calls = new ArrayList<>();
    int sent = 0;
    for (int i = 0; i < count && System.nanoTime() < deadline; i++, sent++) {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      boolean readBack = i % READ_BACK_EVERY == READ_BACK_EVERY - 1;
      CompletableFuture<?> call =
          client
              .sendAsync(post(stories, body(i)), HttpResponse.BodyHandlers.ofString())
              .thenCompose(
                  created -> {
                    statuses.merge(created.statusCode(), 1, Integer::sum);
                    Optional<String> id = readBack ? storyId(created) : Optional.empty();
                    return id.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : client
                            .sendAsync(get(stories, id.get()), HttpResponse.BodyHandlers.ofString())
                            .thenAccept(read -> statuses.merge(read.statusCode(), 1, Integer::sum));
                  })
              .exceptionally(
                  failure -> {
                    statuses.merge(-1, 1, Integer::sum);
                    return null;
                  })
              .whenComplete((ignored, failure) -> slots.release());
      calls.add(call);
    }
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      statuses.merge(-1, 1, Integer::sum);
    }
    return sent;
  }

  /**
   * A story request: most are new ({@code fresh}, one model call each), every {@link
   * #CACHED_EVERY}th is the same request again so the cache's answer path is compiled too.
   */
  static String body(int i) {
    ObjectNode request =
        JSON.createObjectNode()
            .put("theme", "space")
            .put("ageGroup", "6-8")
            .put("moral", "sharing");
    ObjectNode hero = request.putArray("characters").addObject();
    if (i % CACHED_EVERY == 0) {
      hero.put("name", "Mia").put("description", "a curious girl");
    } else {
      hero.put("name", "Mia " + i);
      request.put("fresh", true);
    }
    return request.toString();
  }

  private static HttpRequest post(URI stories, String body) {
    return HttpRequest.newBuilder(stories)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpRequest get(URI stories, String id) {
    return HttpRequest.newBuilder(URI.create(stories + "/" + id))
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
  }

  private static Optional<String> storyId(HttpResponse<String> created) {
    if (created.statusCode() != 201) {
      return Optional.empty();
    }
    try {
      JsonNode id = JSON.readTree(created.body()).path("id");
      return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "sk-warm-up-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void deleteQuietly(Path folder) {
    if (folder == null) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.debug("the warm-up's asset folder {} stays: {}", folder, e.toString());
    }
  }

  /**
   * The model provider the private copy calls: on loopback, for the warm-up's key only, answering a
   * Chat Completions call with one gentle story (structured output, as the model client asks for)
   * and a moderation call with nothing flagged.
   */
  static final class StandInProvider {
    private StandInProvider() {}

    /**
     * Starts the stand-in on a free loopback port; its answers to Chat Completions calls leave
     * after {@code latency} (zero: at once), without holding a thread while they wait.
     */
    static Javalin start(ServerConfig config, String key, Duration latency) {
      byte[] expected = ("Bearer " + key).getBytes(StandardCharsets.UTF_8);
      Executor answerLater =
          CompletableFuture.delayedExecutor(latency.toNanos(), TimeUnit.NANOSECONDS);
      String completion = completion(config.openAi().orElseThrow().model());
      String moderation = moderation();
      return Javalin.create(
              c -> {
                c.startup.showJavalinBanner = false;
                c.startup.showOldJavalinVersionWarning = false;
                c.jetty.host = "127.0.0.1";
                c.jetty.port = 0;
                c.routes.before(
                    ctx -> {
                      String given = ctx.header("Authorization");
                      if (given == null
                          || !MessageDigest.isEqual(
                              expected, given.getBytes(StandardCharsets.UTF_8))) {
                        throw new UnauthorizedResponse();
                      }
                    });
                c.routes.post(
                    "/v1/chat/completions",
                    ctx -> {
                      ctx.contentType("application/json");
                      if (latency.isZero()) {
                        ctx.result(completion);
                      } else {
                        ctx.future(
                            () ->
                                CompletableFuture.runAsync(
                                    () -> ctx.result(completion), answerLater));
                      }
                    });
                c.routes.post(
                    "/v1/moderations",
                    ctx -> ctx.contentType("application/json").result(moderation));
              })
          .start();
    }

    /** A finished completion whose content is the story as {@code {"title", "paragraphs"}}. */
    static String completion(String model) {
      ObjectNode story = JSON.createObjectNode().put("title", "Mia and the Quiet Hill");
      ArrayNode paragraphs = story.putArray("paragraphs");
      for (int part = 1; part <= 6; part++) {
        paragraphs.add(
            "Mia looked up at the bright stars and smiled at the moon. She packed a small bag with"
                + " a warm scarf and a red apple. Her friend Leo the cat walked with her to the"
                + " quiet hill. They counted the stars together and shared the apple. Part "
                + part
                + " ended with a happy yawn.");
      }
      ObjectNode root =
          JSON.createObjectNode()
              .put("id", "chatcmpl-warm-up")
              .put("object", "chat.completion")
              .put("created", 0L)
              .put("model", model);
      ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
      choice
          .putObject("message")
          .put("role", "assistant")
          .put("content", story.toString())
          .putNull("refusal");
      choice.put("finish_reason", "stop");
      root.putObject("usage")
          .put("prompt_tokens", 0)
          .put("completion_tokens", 0)
          .put("total_tokens", 0);
      return root.toString();
    }

    /** A moderation result with every category StoryMagic knows scored 0 and none flagged. */
    static String moderation() {
      ObjectNode root = JSON.createObjectNode().put("id", "modr-warm-up").put("model", "warm-up");
      ObjectNode result = root.putArray("results").addObject().put("flagged", false);
      ObjectNode categories = result.putObject("categories");
      ObjectNode scores = result.putObject("category_scores");
      for (SafetyCategory category : SafetyCategory.values()) {
        categories.put(category.label(), false);
        scores.put(category.label(), 0.0);
      }
      return root.toString();
    }
  }

  /**
   * Holds back the copy's own log lines (its start, its access lines, its stop) while it runs: they
   * would read as the real server's. Where the server logs through {@link StdoutAppender} (its
   * production configuration), the lines are encoded and dropped there, so the copy compiles the
   * logging path the access log takes at the level the server runs with; elsewhere (tests' own
   * configurations) the loggers' levels are raised to ERROR for the warm-up. A no-op on a backend
   * other than Logback.
   */
  static final class HeldBackLogs {
    private static final List<String> LOGGERS =
        List.of("dev.storymagic", "io.javalin", "org.eclipse.jetty");

    private final Map<ch.qos.logback.classic.Logger, Optional<Level>> saved;
    private final List<StdoutAppender> outputs;

    private HeldBackLogs(
        Map<ch.qos.logback.classic.Logger, Optional<Level>> saved, List<StdoutAppender> outputs) {
      this.saved = saved;
      this.outputs = outputs;
    }

    static HeldBackLogs hold() {
      Map<ch.qos.logback.classic.Logger, Optional<Level>> saved = new LinkedHashMap<>();
      if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
        return new HeldBackLogs(saved, List.of());
      }
      List<StdoutAppender> outputs =
          StdoutAppender.attachedTo(ctx.getLogger(Logger.ROOT_LOGGER_NAME));
      if (!outputs.isEmpty()) {
        outputs.forEach(StdoutAppender::holdBack);
        return new HeldBackLogs(saved, outputs);
      }
      for (String name : LOGGERS) {
        ch.qos.logback.classic.Logger logger = ctx.getLogger(name);
        saved.put(logger, Optional.ofNullable(logger.getLevel()));
        logger.setLevel(Level.ERROR);
      }
      return new HeldBackLogs(saved, List.of());
    }

    /** Restores the levels or the output; idempotent. */
    synchronized void release() {
      outputs.forEach(StdoutAppender::release);
      saved.forEach((logger, level) -> logger.setLevel(level.orElse(null)));
      saved.clear();
    }
  }
}
