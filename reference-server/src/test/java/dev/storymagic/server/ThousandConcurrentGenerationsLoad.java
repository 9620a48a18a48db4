package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>Eight rounds of 1,000 generations in flight at once against a model provider that answers
 * after 2 seconds, the first cold (a fresh server; the test's own client and the stub have served
 * one request) and seven warm: every one answers 201, the cold round within 5 s and the steady warm
 * state (the median of the last three rounds) within 3 s, and the HTTP server's own threads stay
 * bounded because the handlers are asynchronous. Prints, per round, the timing, when the provider
 * received the first and the last call, the threads by pool and the load average.
 */
class ThousandConcurrentGenerationsLoad {
  static final int REQUESTS = 1_000;

  /** The cold round and seven warm ones (-Dload.rounds=N for another count, at least 4). */
  static final int ROUNDS = 8;

  @Test
  void thousandConcurrentGenerationsFinishInAboutTheModelLatency() throws Exception {
    // -Dload.h2c=true: the provider and the server's model client speak cleartext HTTP/2 (h2c).
    boolean h2c = Boolean.getBoolean("load.h2c");
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
    StoryMagicServer server =
        StoryMagicServer.start(
            OpenAiStub.serverConfig(
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
                // this a test of
                // 1,000 safety scorings on the machine's cores rather than of 1,000 concurrent
                // model calls.
                "SAFETY_LAYERED",
                "false"),
            line -> {});
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger peakThreads = new AtomicInteger();
    Map<String, Integer> peakByPool = new TreeMap<>();
    Runnable sample =
        () -> {
          peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
          Map<String, Integer> now = new TreeMap<>();
          Thread.getAllStackTraces()
              .keySet()
              .forEach(t -> now.merge(pool(t.getName()), 1, Integer::sum));
          synchronized (peakByPool) {
            now.forEach((k, v) -> peakByPool.merge(k, v, Math::max));
          }
        };
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      String url = "http://127.0.0.1:" + server.port() + "/api/stories";
      var unused = sampler.scheduleAtFixedRate(sample, 0, 100, TimeUnit.MILLISECONDS);
      // The harness is not what is measured: one request from the test client to the stub, not
      // the server, before round 1. Without it the cold round also timed the first use of the
      // JDK's HTTP client in this JVM, about 1.7 s before the first request left it.
      HttpResponse<String> harness =
          client.send(
              HttpRequest.newBuilder(URI.create(openAi.baseUrl() + "/__admin/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(harness.statusCode()).as("the stub's health").isEqualTo(200);
      // Round 1 is cold: a fresh server, no code of it compiled, no connection to the provider
      // open. The rounds after it are warm: a running server with its connections to the provider
      // pooled, compiling its code paths as they run; on two cores shared with the stub and the
      // client that takes some 5,000 requests, so the warm figure is the steady state, the median
      // of the last three rounds.
      int rounds = Math.max(4, Integer.getInteger("load.rounds", ROUNDS));
      double cold = 0;
      List<Double> warm = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        openAi.resetRequests();
        peakThreads.set(0);
        synchronized (peakByPool) {
          peakByPool.clear();
        }
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        List<CompletableFuture<HttpResponse<String>>> calls = fire(client, url, REQUESTS, round);
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Integer> statuses = new TreeMap<>();
        calls.forEach(c -> statuses.merge(c.join().statusCode(), 1, Integer::sum));
        var logged =
            openAi.getAllServeEvents().stream()
                .map(e -> e.getRequest().getLoggedDate().toInstant().toEpochMilli())
                .sorted()
                .toList();
        System.out.printf(
            "round %d (%s): %d concurrent generations (model latency 2 s): %.2f s, statuses %s,"
                + " upstream received its first call %d ms and its last %d ms after the start, peak JVM threads %d,"
                + " peak threads by pool %s, load average %.1f, Java %s, provider over %s%n",
            round,
            round == 1 ? "cold" : "warm",
            REQUESTS,
            seconds,
            statuses,
            logged.get(0) - startMillis,
            logged.get(logged.size() - 1) - startMillis,
            peakThreads.get(),
            peakByPool,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.version(),
            h2c ? "h2c" : "HTTP/1.1");
        assertThat(statuses).as("statuses in round %d", round).containsOnlyKeys(201);
        assertThat(openAi.getAllServeEvents()).hasSize(REQUESTS);
        assertThat(peakByPool.getOrDefault("http", 0))
            .as("HTTP server threads")
            .isLessThanOrEqualTo(200);
        if (round == 1) {
          cold = seconds;
        } else {
          warm.add(seconds);
        }
      }
      List<Double> lastThree =
          warm.subList(warm.size() - 3, warm.size()).stream().sorted().toList();
      double steady = lastThree.get(1);
      System.out.printf(
          "cold %.2f s; warm rounds %s s; steady state (median of the last three) %.2f s%n",
          cold, warm.stream().map(w -> String.format("%.2f", w)).toList(), steady);
      double coldSeconds = cold;
      SoftAssertions.assertSoftly(
          goals -> {
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
      server.close();
      openAi.stop();
    }
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
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    return calls;
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
    if (base.startsWith("HttpClient")) {
      return "test-client";
    }
    if (base.startsWith("qtp") || base.contains("WireMock") || base.startsWith("pool")) {
      return "wiremock/other";
    }
    return base;
  }
}
