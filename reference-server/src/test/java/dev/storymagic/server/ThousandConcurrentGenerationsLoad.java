package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A load demonstration, run on demand only (it needs the machine to itself to be meaningful, so its
 * name matches neither the unit nor the integration test pattern): {@code mvn -B -pl
 * reference-server -am verify -Dit.test=ThousandConcurrentGenerationsLoad -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Rounds of 1,000 generations in flight at once against a model provider that answers after 2
 * seconds, the first cold and the rest warm: every one answers 201, the cold round within 5 s and
 * the steady warm state within 3 s, and the HTTP server's own threads stay bounded because the
 * handlers are asynchronous. Warm means compiled: the warm rounds go on until, three rounds in a
 * row, the JIT compiler threads of the server and of the harness's JVM each used at most 300 ms of
 * CPU (at most 30 rounds), and the steady state is the median of those three. On two cores a single
 * C2 thread is still compiling the request path (the story, the pipeline's checks, the provider's
 * answer) thousands of requests after the start-up warm-up, with a second of CPU or more a round,
 * and the harness's JVM the same for its side; a fixed count of rounds timed whatever compilation
 * was left. Prints, per round, the timing, when the provider received the first call, half of them,
 * 90 % and the last, when half and 90 % of the answers were back, the server's threads by pool, the
 * load average and both compilers' time in the round.
 *
 * <p>Before round 1 and after the last, the same burst goes from the callers straight to the
 * provider, with no server between them: the harness's own part of a round on this machine (on two
 * cores it takes some 2.3 to 2.9 s of the 2 s calls), so that a round's time less that is what the
 * server adds.
 *
 * <p>The server is the packaged jar in a process of its own, with the container's heap and
 * collector, as it is deployed: cold means a fresh server JVM with no connection to the provider
 * open, which has warmed itself up before listening as the task definition has it ({@code
 * WARM_UP_REQUESTS=2000}; {@code -Dload.warmUpRequests=0} measures a server that did not). On Java
 * 25 and later it starts, as the image's does, with an ahead-of-time cache that a training run of
 * the same jar records first ({@code --aot-training}; {@code -Dload.aotCache=false} for none). The
 * provider (a WireMock stub) and the callers (the JDK's HTTP client) stay in this JVM and are
 * warmed first, as a provider and callers that have been running for a while are: calls straight to
 * the stub, then rounds through a server of their own that is stopped before the measured one
 * starts ({@code -Dload.rehearse=false} for none). In one JVM with them the server would share
 * their compiled code (the stub runs on the same Jetty) and their compilation would be timed with
 * it.
 */
class ThousandConcurrentGenerationsLoad {
  static final int REQUESTS = 1_000;

  /**
   * Warm rounds go on until both JVMs' compilers have settled, at most this many rounds in all
   * ({@code -Dload.maxRounds=N} for another bound).
   */
  static final int MAX_ROUNDS = 30;

  /**
   * A round is quiet when the JIT compiler threads of the server and of the harness's JVM each used
   * at most this much CPU in it: some 5 % of the two cores over a round. The steady warm state is
   * the median of the first three quiet rounds in a row.
   */
  static final long QUIET_COMPILER_MILLIS = 300;

  static final int QUIET_ROUNDS = 3;

  /** The server's own start-up warm-up (WARM_UP_REQUESTS), as in the deployed task definition. */
  static final int WARM_UP_REQUESTS = 2_000;

  /**
   * Rounds through a server of the harness's own before the measured server starts, at most this
   * many ({@code -Dload.rehearse=false} for none).
   */
  static final int REHEARSAL_ROUNDS = 6;

  private static final int REHEARSAL_NAMES = 1_000;

  /** Requests from the callers to the provider before round 1, at most this many at once. */
  static final int HARNESS_WARM_UP_REQUESTS = 3_000;

  static final int HARNESS_WARM_UP_CONCURRENCY = 50;

  /** {@code /proc}'s unit of CPU time on Linux (USER_HZ). */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  @Test
  void thousandConcurrentGenerationsFinishInAboutTheModelLatency() throws Exception {
    // -Dload.h2c=true: the provider and the server's model client speak cleartext HTTP/2 (h2c).
    boolean h2c = Boolean.getBoolean("load.h2c");
    // -Dload.warmUpRequests=N: the server's start-up warm-up, as the task definition sets it.
    int warmUpRequests = Integer.getInteger("load.warmUpRequests", WARM_UP_REQUESTS);
    // The image's server starts with an ahead-of-time cache on Java 25 and later; so does this one
    // (-Dload.aotCache=false: without, as on earlier Java versions).
    List<String> serverJvmOptions = List.of();
    if (Runtime.version().feature() >= 25
        && Boolean.parseBoolean(System.getProperty("load.aotCache", "true"))) {
      long training = System.nanoTime();
      serverJvmOptions =
          ServerProcess.recordAotCache(
              Path.of("target", "load-aot", "storymagic.aot"), Duration.ofMinutes(5));
      System.out.printf(
          "ahead-of-time cache recorded by the server's training run in %.1f s%n",
          (System.nanoTime() - training) / 1e9);
    }
    WireMockServer openAi =
        new WireMockServer(
            wireMockConfig()
                .dynamicPort()
                .containerThreads(1_200)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16)
                .jettyAcceptQueueSize(4096)
                .http2PlainDisabled(!h2c));
    openAi.start();
    openAi.stubFor(OpenAiStub.chat().willReturn(OpenAiStub.completion().withFixedDelay(2_000)));
    // The harness's own warm-up calls, answered at once: same path and answer, marked by a header.
    openAi.stubFor(
        OpenAiStub.chat()
            .atPriority(1)
            .withHeader(WARM_UP, equalTo("true"))
            .willReturn(OpenAiStub.completion()));
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    Map<String, Integer> peakByPool = new TreeMap<>();
    AtomicInteger peakThreads = new AtomicInteger();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    String chatUrl = openAi.baseUrl() + "/v1/chat/completions";
    Map<String, String> environment = serverEnvironment(openAi, h2c, warmUpRequests);
    try {
      warmUpHarness(client, chatUrl);
      // -Dload.rehearse=false: round 1 also times the harness's JVM compiling a round's paths.
      if (Boolean.parseBoolean(System.getProperty("load.rehearse", "true"))) {
        rehearse(client, environment, serverJvmOptions, openAi);
      }
    } catch (Exception | Error e) {
      openAi.stop();
      throw e;
    }
    try (ServerProcess server = ServerProcess.startPackaged(environment, serverJvmOptions)) {
      long launched = System.nanoTime();
      int port = server.awaitPort(Duration.ofMinutes(3));
      System.out.printf(
          "server listening %.2f s after launch (WARM_UP_REQUESTS=%d)%n",
          (System.nanoTime() - launched) / 1e9, warmUpRequests);
      Path tasks = Path.of("/proc", String.valueOf(server.pid()), "task");
      Runnable sample =
          () -> {
            Map<String, Integer> now = threadsByPool(tasks);
            peakThreads.accumulateAndGet(
                now.values().stream().mapToInt(Integer::intValue).sum(), Math::max);
            synchronized (peakByPool) {
              now.forEach((k, v) -> peakByPool.merge(k, v, Math::max));
            }
          };
      // The harness's own share of the budget: the same burst from the callers straight to the
      // provider, no server between them. Also opens the provider's side of a thousand
      // connections, so round 1 times a cold server rather than a cold stub.
      Spread harnessBefore = harnessAlone(client, chatUrl, openAi);
      String url = "http://127.0.0.1:" + port + "/api/stories";
      var unused = sampler.scheduleAtFixedRate(sample, 0, 100, TimeUnit.MILLISECONDS);
      // Round 1 is cold: a fresh server, no code of it compiled, no connection to the provider
      // open. The rounds after it are warm: a running server with its connections to the provider
      // pooled, compiling its code paths as they run. On two cores shared with the stub and the
      // callers its C2 thread takes some 10,000 to 15,000 requests to catch up, so the steady state
      // is timed once both JVMs' compilers have gone quiet.
      int maxRounds = Math.max(1 + QUIET_ROUNDS, Integer.getInteger("load.maxRounds", MAX_ROUNDS));
      double cold = 0;
      List<Double> warm = new ArrayList<>();
      int quietInARow = 0;
      for (int round = 1; round <= maxRounds && quietInARow < QUIET_ROUNDS; round++) {
        openAi.resetRequests();
        peakThreads.set(0);
        synchronized (peakByPool) {
          peakByPool.clear();
        }
        long serverCompilerBefore = compilerMillis(tasks);
        long harnessCompilerBefore = harnessCompilerMillis();
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        List<CompletableFuture<HttpResponse<String>>> calls = fire(client, url, REQUESTS, round);
        Spread spread = await(calls, openAi, start, startMillis);
        long serverCompiler = compilerMillis(tasks) - serverCompilerBefore;
        long harnessCompiler = harnessCompilerMillis() - harnessCompilerBefore;
        double seconds = spread.seconds();
        Map<Integer, Integer> statuses = new TreeMap<>();
        calls.forEach(c -> statuses.merge(c.join().statusCode(), 1, Integer::sum));
        Map<String, Integer> byPool;
        synchronized (peakByPool) {
          byPool = new TreeMap<>(peakByPool);
        }
        System.out.printf(
            "round %d (%s): %d concurrent generations (model latency 2 s): %.2f s, statuses %s, %s,"
                + " peak server threads %d, peak server threads by pool %s, load average %.1f,"
                + " Java %s, provider over %s, compiler CPU server %d ms harness %d ms%n",
            round,
            round == 1 ? "cold" : "warm",
            REQUESTS,
            seconds,
            statuses,
            spread,
            peakThreads.get(),
            byPool,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.version(),
            h2c ? "h2c" : "HTTP/1.1",
            serverCompiler,
            harnessCompiler);
        assertThat(statuses).as("statuses in round %d", round).containsOnlyKeys(201);
        assertThat(spread.received()).hasSize(REQUESTS);
        assertThat(byPool.getOrDefault("http", 0))
            .as("HTTP server threads")
            .isLessThanOrEqualTo(200);
        if (round == 1) {
          cold = seconds;
        } else {
          warm.add(seconds);
          boolean quiet =
              serverCompiler <= QUIET_COMPILER_MILLIS && harnessCompiler <= QUIET_COMPILER_MILLIS;
          quietInARow = quiet ? quietInARow + 1 : 0;
        }
      }
      Spread harnessAfter = harnessAlone(client, chatUrl, openAi);
      System.out.printf(
          "the harness alone (%d calls from the callers straight to the provider, 2 s): %.2f s"
              + " before round 1 (%s), %.2f s after the last (%s)%n",
          REQUESTS, harnessBefore.seconds(), harnessBefore, harnessAfter.seconds(), harnessAfter);
      List<Double> lastThree =
          warm.subList(warm.size() - QUIET_ROUNDS, warm.size()).stream().sorted().toList();
      double steady = lastThree.get(1);
      System.out.printf(
          "cold %.2f s; warm rounds %s s; steady state (median of the last three, %s) %.2f s%n",
          cold,
          warm.stream().map(w -> String.format("%.2f", w)).toList(),
          quietInARow == QUIET_ROUNDS ? "both compilers quiet" : "compilers still busy",
          steady);
      // As ECS stops a task: its JVM exits normally and writes what it writes at exit (with
      // -Dload.serverJvmOptions="-XX:AOTMode=record -XX:AOTConfiguration=...", the training data of
      // an ahead-of-time cache; see the README).
      server.stop(Duration.ofSeconds(30));
      double coldSeconds = cold;
      int quietRounds = quietInARow;
      SoftAssertions.assertSoftly(
          goals -> {
            goals
                .assertThat(quietRounds)
                .as(
                    "warm rounds in a row in which both compilers were quiet, within %d rounds",
                    maxRounds)
                .isEqualTo(QUIET_ROUNDS);
            goals
                .assertThat(coldSeconds)
                .as("cold wall time for %d generations of 2 s each", REQUESTS)
                .isLessThanOrEqualTo(5.0);
            goals
                .assertThat(steady)
                .as("steady warm wall time for %d generations of 2 s each", REQUESTS)
                .isLessThanOrEqualTo(3.0);
          });
    } finally {
      sampler.shutdownNow();
      openAi.stop();
    }
  }

  private static final String WARM_UP = "X-Harness-Warm-Up";

  /** The server's environment: the stub as its provider, as the burst needs it. */
  private static Map<String, String> serverEnvironment(
      WireMockServer openAi, boolean h2c, int warmUpRequests) {
    return OpenAiStub.serverEnvironment(
        openAi,
        "MODEL_MAX_CONCURRENCY",
        "1200",
        "OPENAI_MODERATION",
        "false",
        "OPENAI_HTTP2_PRIOR_KNOWLEDGE",
        String.valueOf(h2c),
        "RATE_LIMIT_PER_MINUTE",
        "0",
        "MAX_IN_FLIGHT_PER_USER",
        "0",
        "MODEL_TIMEOUT_SECONDS",
        "30",
        // The lexicon alone: the learned layer's ~0.1 s of CPU per story would make
        // this a test of 1,000 safety scorings on the machine's cores rather than of
        // 1,000 concurrent model calls.
        "SAFETY_LAYERED",
        "false",
        "WARM_UP_REQUESTS",
        String.valueOf(warmUpRequests));
  }

  /**
   * Compiles the harness's own code paths (the client's requests, the stub's Jetty and matching)
   * with calls straight to the provider, at most {@link #HARNESS_WARM_UP_CONCURRENCY} at once so
   * that only that many connections stay pooled afterwards. Before this the cold round also timed
   * the first use of the JDK's HTTP client and the stub's first thousand requests.
   */
  private static void warmUpHarness(HttpClient client, String chatUrl) throws Exception {
    Semaphore slots = new Semaphore(HARNESS_WARM_UP_CONCURRENCY);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < HARNESS_WARM_UP_REQUESTS; i++) {
      slots.acquire();
      calls.add(
          client
              .sendAsync(
                  postJson(chatUrl, "{\"model\":\"warm-up\"}").header(WARM_UP, "true").build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    assertThat(calls.stream().map(c -> c.join().statusCode()).distinct().toList())
        .as("the harness's warm-up answers")
        .containsExactly(200);
  }

  /**
   * Rounds through a server of their own, stopped before the measured one starts, until the
   * harness's compiler is quiet in a round (at most {@link #REHEARSAL_ROUNDS}): the callers read a
   * story answer and the stub matches a server's model call only in a round through a server, and
   * without this round 1 also timed the harness's JVM compiling those paths on the cores the cold
   * server needs (1.4 to 3.2 s of its compiler's CPU in runs without it). The callers and the
   * provider a deployed server meets have been running for a while; the server is what is cold.
   */
  private static void rehearse(
      HttpClient client,
      Map<String, String> environment,
      List<String> jvmOptions,
      WireMockServer openAi)
      throws Exception {
    try (ServerProcess rehearsal = ServerProcess.startPackaged(environment, jvmOptions)) {
      String url =
          "http://127.0.0.1:" + rehearsal.awaitPort(Duration.ofMinutes(3)) + "/api/stories";
      for (int round = 1; round <= REHEARSAL_ROUNDS; round++) {
        openAi.resetRequests();
        long compilerBefore = harnessCompilerMillis();
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        // Names apart from the measured rounds' (Kid1x…), so a story in a log says which it was.
        List<CompletableFuture<HttpResponse<String>>> calls =
            fire(client, url, REQUESTS, REHEARSAL_NAMES + round);
        Spread spread = await(calls, openAi, start, startMillis);
        long compiler = harnessCompilerMillis() - compilerBefore;
        System.out.printf(
            "rehearsal %d (a server of its own, stopped before round 1): %.2f s, harness compiler"
                + " CPU %d ms%n",
            round, spread.seconds(), compiler);
        assertThat(calls.stream().map(c -> c.join().statusCode()).distinct().toList())
            .as("the rehearsal's answers")
            .containsExactly(201);
        if (compiler <= QUIET_COMPILER_MILLIS) {
          break;
        }
      }
      rehearsal.stop(Duration.ofSeconds(30));
    }
  }

  /**
   * Sends {@link #REQUESTS} calls at once from the callers straight to the provider's 2 s stub and
   * times them: what the harness alone takes of a round.
   */
  private static Spread harnessAlone(HttpClient client, String chatUrl, WireMockServer openAi)
      throws Exception {
    openAi.resetRequests();
    long start = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      calls.add(
          client.sendAsync(
              postJson(chatUrl, "{\"model\":\"harness\"}").build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Spread spread = await(calls, openAi, start, startMillis);
    assertThat(calls.stream().map(c -> c.join().statusCode()).distinct().toList())
        .as("the provider's answers to the harness alone")
        .containsExactly(200);
    return spread;
  }

  /**
   * Waits for a burst's calls, started at {@code startNanos} ({@code startMillis} on the wall
   * clock), and says when the provider received them and when their answers came back. No answer
   * comes before the provider's 2 s, so each is timed as it arrives.
   */
  private static Spread await(
      List<CompletableFuture<HttpResponse<String>>> calls,
      WireMockServer openAi,
      long startNanos,
      long startMillis)
      throws Exception {
    Queue<Long> answeredAt = new ConcurrentLinkedQueue<>();
    CompletableFuture<?>[] timed =
        calls.stream()
            .map(c -> c.whenComplete((r, e) -> answeredAt.add(System.currentTimeMillis())))
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(timed).get(120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    List<Long> received =
        openAi.getAllServeEvents().stream()
            .map(e -> e.getRequest().getLoggedDate().toInstant().toEpochMilli() - startMillis)
            .sorted()
            .toList();
    List<Long> answered = answeredAt.stream().map(t -> t - startMillis).sorted().toList();
    return new Spread(seconds, received, answered);
  }

  /**
   * A burst's wall time, and when (in milliseconds from its start, in order) the provider received
   * each call and each answer came back.
   */
  private record Spread(double seconds, List<Long> received, List<Long> answered) {
    @Override
    public String toString() {
      return String.format(
          "the provider received the first call %d ms, half of them by %d ms, 90 %% by %d ms and"
              + " the last %d ms after the start, half the answers were back by %d ms and 90 %% by"
              + " %d ms",
          received.get(0),
          received.get(received.size() / 2),
          received.get(received.size() * 9 / 10),
          received.get(received.size() - 1),
          answered.get(answered.size() / 2),
          answered.get(answered.size() * 9 / 10));
    }
  }

  /**
   * CPU time (user + system) a process's JIT compiler threads have used, in milliseconds, from
   * {@code /proc/<pid>/task/<tid>/stat}.
   */
  private static long compilerMillis(Path tasks) {
    long ticks = 0;
    for (String stat : threadStats(tasks)) {
      if (pool(threadName(stat)).equals("JIT")) {
        // After the name: state, then fields 4..; utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      }
    }
    return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
  }

  /** CPU time this JVM's (the harness's) JIT compiler threads have used, in milliseconds. */
  private static long harnessCompilerMillis() {
    return compilerMillis(Path.of("/proc", "self", "task"));
  }

  /** The server process's threads by pool. */
  private static Map<String, Integer> threadsByPool(Path tasks) {
    Map<String, Integer> byPool = new TreeMap<>();
    for (String stat : threadStats(tasks)) {
      byPool.merge(pool(threadName(stat)), 1, Integer::sum);
    }
    return byPool;
  }

  /** Each thread's {@code /proc/<pid>/task/<tid>/stat} line; none once the process is gone. */
  private static List<String> threadStats(Path tasks) {
    List<String> stats = new ArrayList<>();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          stats.add(Files.readString(thread.resolve("stat")));
        } catch (IOException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      // the process is gone; the round's assertions say why
    }
    return stats;
  }

  /** The thread's name (its {@code comm}, at most 15 characters) from its stat line. */
  private static String threadName(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  private static List<CompletableFuture<HttpResponse<String>>> fire(
      HttpClient client, String url, int count, int round) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body =
          "{\"theme\":\"space\",\"fresh\":true,\"characters\":[{\"name\":\"Kid"
              + round
              + "x"
              + i
              + "\"}]}";
      calls.add(
          client.sendAsync(postJson(url, body).build(), HttpResponse.BodyHandlers.ofString()));
    }
    return calls;
  }

  /** A JSON POST from the callers, given a minute (the provider answers after 2 s at most). */
  private static HttpRequest.Builder postJson(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String pool(String name) {
    int dash = name.lastIndexOf('-');
    String base =
        dash > 0 && name.substring(dash + 1).chars().allMatch(Character::isDigit)
            ? name.substring(0, dash)
            : name;
    if (base.startsWith("OkHttp")) {
      return "OkHttp";
    }
    if (base.startsWith("C1 Compiler") || base.startsWith("C2 Compiler")) {
      return "JIT";
    }
    if (base.startsWith("GC Thread") || base.startsWith("G1 ")) {
      return "GC";
    }
    return base;
  }
}
