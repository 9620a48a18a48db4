package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Protocol;
import org.junit.jupiter.api.Test;

/**
 * A probe run on demand only (its name matches no test pattern): {@code probe.calls} concurrent
 * {@link OpenAiStoryModel#generate} calls straight on the model, without the pipeline or the
 * reference server, against an in-process WireMock answering after {@code probe.delayMs}; prints
 * per round the wall time, when the stub received its first and last call, the connections opened
 * and the peak JVM threads. It separates the client and the stub from the rest of the server:
 *
 * <pre>
 * mvn -B -pl sdk-openai surefire:test -Djacoco.skip=true -Dtest=ThousandCallsProbe \
 *   -Djvm=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Dprobe.protocol=h1 -Dprobe.stubThreads=1200
 * </pre>
 *
 * {@code probe.protocol} is {@code h1} (HTTP/1.1, one connection per call in flight) or {@code h2c}
 * (HTTP/2 with prior knowledge); {@code probe.stubThreads} is WireMock's Jetty container thread
 * count and {@code probe.stubAsync} whether its delayed answers are sent from a timer rather than
 * holding a container thread. Calls run on virtual threads where the JVM has them (as the
 * pipeline's model threads do), else on one platform thread each.
 */
class ThousandCallsProbe {
  private static final int CALLS = Integer.getInteger("probe.calls", 1_000);
  private static final int DELAY_MS = Integer.getInteger("probe.delayMs", 2_000);
  private static final int ROUNDS = Integer.getInteger("probe.rounds", 3);
  private static final String PROTOCOL = System.getProperty("probe.protocol", "h1");
  private static final int STUB_THREADS = Integer.getInteger("probe.stubThreads", 1_200);
  private static final boolean STUB_ASYNC =
      Boolean.parseBoolean(System.getProperty("probe.stubAsync", "true"));

  @Test
  void concurrentGenerations() throws Exception {
    WireMockConfiguration config =
        options()
            .dynamicPort()
            .bindAddress("127.0.0.1")
            .containerThreads(STUB_THREADS)
            .jettyAcceptQueueSize(4096)
            .asynchronousResponseEnabled(STUB_ASYNC)
            .asynchronousResponseThreads(16)
            .http2PlainDisabled(!"h2c".equals(PROTOCOL));
    WireMockServer stub = new WireMockServer(config);
    stub.start();
    stub.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post("/v1/chat/completions")
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        OpenAiStub.structuredCompletion())
                    .withFixedDelay(DELAY_MS)));
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger h2Connections = new AtomicInteger();
    java.util.Queue<Long> sent = new java.util.concurrent.ConcurrentLinkedQueue<>();
    EventListener counter =
        new EventListener() {
          @Override
          public void requestBodyEnd(Call call, long byteCount) {
            sent.add(System.currentTimeMillis());
          }

          @Override
          public void connectEnd(
              Call call,
              java.net.InetSocketAddress address,
              java.net.Proxy proxy,
              Protocol protocol) {
            connections.incrementAndGet();
            if (protocol == Protocol.HTTP_2 || protocol == Protocol.H2_PRIOR_KNOWLEDGE) {
              h2Connections.incrementAndGet();
            }
          }
        };
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger peakThreads = new AtomicInteger();
    var unused =
        sampler.scheduleAtFixedRate(
            () -> peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max),
            0,
            50,
            TimeUnit.MILLISECONDS);
    ExecutorService callers = callers();
    try (OpenAiStoryModel model =
        OpenAiStoryModel.builder()
            .connection(
                OpenAiConnection.custom()
                    .baseUrl(stub.baseUrl() + "/v1")
                    .apiKey("sk-test")
                    .maxConcurrentRequests(Math.max(CALLS, 1))
                    .connectionPool(Math.min(CALLS, 1_000), Duration.ofMinutes(5))
                    .http2PriorKnowledge("h2c".equals(PROTOCOL))
                    .connectTimeout(Duration.ofSeconds(20))
                    .readTimeout(Duration.ofSeconds(30))
                    .build())
            .callTimeout(Duration.ofSeconds(40))
            .eventListener(counter)
            .build()) {
      for (int round = 1; round <= ROUNDS; round++) {
        stub.resetRequests();
        connections.set(0);
        h2Connections.set(0);
        peakThreads.set(0);
        sent.clear();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          calls.add(
              callers.submit(
                  () -> {
                    go.await();
                    return model.generate(OpenAiStub.modelRequest());
                  }));
        }
        long cpuStart = processCpuNanos();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        go.countDown();
        int ok = 0;
        List<String> failures = new ArrayList<>();
        for (Future<?> f : calls) {
          try {
            f.get(60, TimeUnit.SECONDS);
            ok++;
          } catch (java.util.concurrent.ExecutionException e) {
            if (failures.size() < 3) {
              failures.add(String.valueOf(e.getCause()));
            }
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        List<Long> wrote = sent.stream().map(t -> t - startMillis).sorted().toList();
        List<Long> seen =
            stub.getAllServeEvents().stream()
                .map(e -> e.getRequest().getLoggedDate().toInstant().toEpochMilli() - startMillis)
                .sorted()
                .toList();
        System.out.printf(
            "round %d (%s): %d calls, delay %d ms, protocol %s, stub threads %d async %s: %.2f s"
                + " (process CPU %.2f s, load %.1f), %d ok, client wrote first %d ms last %d ms, stub saw first %d ms last %d ms, connections opened %d (h2 %d), peak JVM threads %d,"
                + " Java %s, failures %s%n",
            round,
            round == 1 ? "cold" : "warm",
            CALLS,
            DELAY_MS,
            PROTOCOL,
            STUB_THREADS,
            STUB_ASYNC,
            seconds,
            cpuSeconds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            ok,
            wrote.isEmpty() ? -1 : wrote.get(0),
            wrote.isEmpty() ? -1 : wrote.get(wrote.size() - 1),
            seen.isEmpty() ? -1 : seen.get(0),
            seen.isEmpty() ? -1 : seen.get(seen.size() - 1),
            connections.get(),
            h2Connections.get(),
            peakThreads.get(),
            Runtime.version(),
            failures);
        assertThat(ok).as("successful calls in round %d", round).isEqualTo(CALLS);
      }
    } finally {
      callers.shutdownNow();
      sampler.shutdownNow();
      stub.stop();
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static ExecutorService callers() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return Executors.newCachedThreadPool();
    }
  }
}
