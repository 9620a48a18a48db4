package dev.storymagic.openai.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.openai.OpenAiConnection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a virtual thread an interrupted call ends without {@link InterruptWatch}: the JDK closes the
 * socket the thread blocks on, and {@link HttpTransport} cancels the call. The watch here never
 * looks (its period is an hour), so the platform thread's call, which only the watch could end, is
 * still waiting after the interrupt: the contrast that shows the virtual thread's call ended by the
 * JDK's doing.
 *
 * <p>Needs Java 21 or later: a build on an older JDK leaves it out of the suite (the parent POM's
 * {@code jdk-before-21} profile), and {@code .ci/run} runs it on a JDK of 21 or later. Run on Java
 * 17 by name, it fails saying so.
 */
class HttpTransportVirtualThreadTest {
  private WireMockServer upstream;
  private InterruptWatch blindWatch;
  private HttpTransport transport;
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicReference<Call> started = new AtomicReference<>();

  @BeforeEach
  void start() {
    upstream = HttpTransportInterruptTest.startSlowUpstream();
    upstream.stubFor(
        post("/v1/stream")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody("data: {}\n\n".repeat(200))
                    .withChunkedDribbleDelay(100, 10_000)));
    blindWatch = new InterruptWatch(TimeUnit.HOURS.toNanos(1));
    transport = HttpTransportInterruptTest.oneSlotTransport(upstream, blindWatch);
  }

  @AfterEach
  void stop() {
    Call call = started.get();
    if (call != null) {
      call.cancel();
    }
    transport.release();
    upstream.stop();
  }

  @Test
  void interruptedWhileWaitingForTheAnswer_theCallEndsAtOnceWithoutTheWatch() throws Exception {
    ThreadFactory virtualThreads = virtualThreads();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller =
        virtualThreads.newThread(() -> failure.complete(sendAndFail("/v1/chat/completions")));

    caller.start();
    awaitBlockedOnTheAnswer(caller);
    assertThat(blindWatch.watched()).isZero();
    long interruptedAt = System.nanoTime();
    caller.interrupt();

    // Well before the upstream's 10 s delay, and the watch never looks: the JDK ended the read.
    assertThat(failure.get(3, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt))
        .isLessThan(Duration.ofSeconds(2));
    assertThat(cancelled).hasValue(1);
    assertTheSlotIsFree();
  }

  /**
   * Over HTTP/2 (cleartext with prior knowledge here; OpenAI's API speaks it over TLS) the caller
   * does not read the socket but waits for its stream, which an interrupt also ends at once; the
   * stream is cancelled and the shared connection stays usable.
   */
  @Test
  void overHttp2_interruptedWhileWaitingForTheAnswer_theCallEndsAtOnceWithoutTheWatch()
      throws Exception {
    ThreadFactory virtualThreads = virtualThreads();
    WireMockServer h2c = HttpTransportInterruptTest.startSlowUpstream(true);
    OpenAiConnection connection =
        OpenAiConnection.custom()
            .baseUrl(h2c.baseUrl() + "/v1")
            .apiKey("sk-test")
            .http2PriorKnowledge(true)
            .maxConcurrentRequests(1)
            .build();
    HttpTransport h2Transport = HttpTransport.create(connection, blindWatch);
    try {
      OkHttpClient client =
          h2Transport
              .newClientBuilder(connection, Duration.ofSeconds(30))
              .eventListener(listener())
              .build();
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread caller =
          virtualThreads.newThread(
              () -> {
                try (HttpTransport.Exchange exchange =
                    h2Transport.send(
                        client,
                        new Request.Builder()
                            .url(h2c.baseUrl() + "/v1/chat/completions")
                            .post(RequestBody.create("{}", MediaType.get("application/json")))
                            .build(),
                        Duration.ofSeconds(1))) {
                  failure.complete(
                      new AssertionError("answered HTTP " + exchange.response().code()));
                } catch (Exception e) {
                  failure.complete(e);
                }
              });

      caller.start();
      awaitBlockedOnTheAnswer(caller);
      assertThat(blindWatch.watched()).isZero();
      caller.interrupt();

      assertThat(failure.get(3, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
      assertThat(cancelled).hasValue(1);
      // The slot was given back, and the next call goes over the same HTTP/2 connection.
      try (HttpTransport.Exchange next =
          h2Transport.send(
              client.newBuilder().eventListener(EventListener.NONE).build(),
              new Request.Builder().url(h2c.baseUrl() + "/v1/models").build(),
              Duration.ZERO)) {
        assertThat(next.response().code()).isEqualTo(200);
        assertThat(next.response().protocol()).isEqualTo(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE);
      }
    } finally {
      h2Transport.release();
      h2c.stop();
    }
  }

  @Test
  void interruptedWhileReadingAStream_theReadFailsAtOnceAndClosingCancelsTheCall()
      throws Exception {
    ThreadFactory virtualThreads = virtualThreads();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    CompletableFuture<Void> firstBytes = new CompletableFuture<>();
    Thread caller =
        virtualThreads.newThread(
            () -> {
              try (HttpTransport.Exchange exchange =
                  transport.send(client(), request("/v1/stream"), Duration.ofSeconds(1))) {
                InputStream body = exchange.response().body().byteStream();
                byte[] buffer = new byte[64];
                body.read(buffer);
                firstBytes.complete(null);
                while (body.read(buffer) >= 0) {
                  // the stream lasts 10 s unless the interrupt ends it
                }
                failure.complete(new AssertionError("read the whole stream"));
              } catch (IOException | InterruptedException | RuntimeException e) {
                failure.complete(e);
              }
            });

    caller.start();
    firstBytes.get(5, TimeUnit.SECONDS);
    assertThat(blindWatch.watched()).isZero();
    caller.interrupt();

    assertThat(failure.get(3, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    caller.join(TimeUnit.SECONDS.toMillis(3));
    assertThat(cancelled).hasValue(1); // the exchange's close saw the interrupt and cancelled
    assertTheSlotIsFree();
  }

  @Test
  void onAPlatformThread_onlyTheWatchEndsTheCall_soABlindWatchLeavesItWaiting() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller = new Thread(() -> failure.complete(sendAndFail("/v1/chat/completions")));
    caller.setDaemon(true);

    caller.start();
    awaitBlockedOnTheAnswer(caller);
    assertThat(blindWatch.watched()).isEqualTo(1);
    caller.interrupt();

    // A second in which an interrupt the JDK handled would have ended the call.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !failure.isDone());
    started.get().cancel(); // what the watch would have done within 5 ms
    assertThat(failure.get(3, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  private Throwable sendAndFail(String path) {
    try (HttpTransport.Exchange exchange =
        transport.send(client(), request(path), Duration.ofSeconds(1))) {
      return new AssertionError("answered HTTP " + exchange.response().code());
    } catch (Exception e) {
      return e;
    }
  }

  private OkHttpClient client() {
    return transport
        .newClientBuilder(
            OpenAiConnection.custom().baseUrl(upstream.baseUrl() + "/v1").apiKey("sk-test").build(),
            Duration.ofSeconds(30))
        .readTimeout(Duration.ofSeconds(20))
        .callTimeout(Duration.ofSeconds(30))
        .eventListener(listener())
        .build();
  }

  /** Notes when a call's request was sent and counts the calls cancelled. */
  private EventListener listener() {
    return new EventListener() {
      @Override
      public void requestBodyEnd(Call call, long byteCount) {
        started.set(call);
      }

      @Override
      public void canceled(Call call) {
        cancelled.incrementAndGet();
      }
    };
  }

  private Request request(String path) {
    return new Request.Builder()
        .url(upstream.baseUrl() + path)
        .post(RequestBody.create("{}", MediaType.get("application/json")))
        .build();
  }

  /**
   * Waits until {@code caller} has sent its request and blocks for the answer: parked (a virtual
   * thread on its socket, either thread on an HTTP/2 stream) or in the socket's poll (a platform
   * thread reading HTTP/1.1, which the JDK reports as running).
   */
  private void awaitBlockedOnTheAnswer(Thread caller) {
    await().atMost(Duration.ofSeconds(5)).until(() -> started.get() != null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                caller.getState() == Thread.State.WAITING
                    || caller.getState() == Thread.State.TIMED_WAITING
                    || java.util.Arrays.stream(caller.getStackTrace())
                        .anyMatch(f -> f.getClassName().endsWith("NioSocketImpl")));
  }

  private void assertTheSlotIsFree() throws Exception {
    HttpTransportInterruptTest.assertTheSlotIsFree(transport, client(), upstream);
  }

  /** {@code Thread.ofVirtual().factory()}, looked up so that the tests compile for Java 17. */
  private static ThreadFactory virtualThreads() throws ReflectiveOperationException {
    if (Runtime.version().feature() < 21) {
      throw new IllegalStateException(
          "virtual threads need Java 21 or later; this JVM is "
              + Runtime.version()
              + ": run with -Djvm=<a JDK of 21 or later>/bin/java");
    }
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    return (ThreadFactory)
        Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
  }
}
