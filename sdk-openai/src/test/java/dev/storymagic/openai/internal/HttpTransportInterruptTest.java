package dev.storymagic.openai.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.openai.OpenAiConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An interrupt that OkHttp notices before {@link InterruptWatch} looks still cancels the call. The
 * watch here never looks (its period is an hour), so the cancel can only come from {@link
 * HttpTransport} itself; the interrupt is delivered from an event listener at a fixed point of the
 * call on the caller's thread, which opens the window deterministically.
 */
class HttpTransportInterruptTest {
  /** Points of a call, all run on the calling thread, where the caller gets interrupted. */
  enum Point {
    CALL_START,
    CONNECTION_ACQUIRED,
    REQUEST_HEADERS_START,
    REQUEST_BODY_START
  }

  private WireMockServer upstream;

  @BeforeEach
  void start() {
    upstream = startSlowUpstream();
  }

  /**
   * A stub on loopback whose chat completions answer after 10 s and whose model list answers at
   * once (the call that shows a slot was given back).
   */
  static WireMockServer startSlowUpstream() {
    return startSlowUpstream(false);
  }

  /** {@link #startSlowUpstream()}, speaking cleartext HTTP/2 (h2c) as well when {@code h2c}. */
  static WireMockServer startSlowUpstream(boolean h2c) {
    WireMockServer upstream =
        new WireMockServer(
            options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .http2PlainDisabled(!h2c)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4));
    upstream.start();
    upstream.stubFor(post("/v1/chat/completions").willReturn(okJson("{}").withFixedDelay(10_000)));
    upstream.stubFor(get("/v1/models").willReturn(okJson("{\"data\":[]}")));
    return upstream;
  }

  /** A transport to {@code upstream} with one request slot and one pooled connection. */
  static HttpTransport oneSlotTransport(WireMockServer upstream, InterruptWatch watch) {
    return HttpTransport.create(
        OpenAiConnection.custom()
            .baseUrl(upstream.baseUrl() + "/v1")
            .apiKey("sk-test")
            .maxConcurrentRequests(1)
            .connectionPool(1, Duration.ofMinutes(1))
            .build(),
        watch);
  }

  @AfterEach
  void stop() {
    upstream.stop();
  }

  @ParameterizedTest
  @EnumSource(Point.class)
  void interruptNoticedByOkHttpBeforeTheWatch_stillCancelsTheCall(Point point) throws Exception {
    InterruptWatch blindWatch = new InterruptWatch(TimeUnit.HOURS.toNanos(1));
    HttpTransport transport = oneSlotTransport(upstream, blindWatch);
    AtomicInteger cancelled = new AtomicInteger();
    OkHttpClient client =
        transport
            .newClientBuilder(
                OpenAiConnection.custom()
                    .baseUrl(upstream.baseUrl() + "/v1")
                    .apiKey("sk-test")
                    .build(),
                Duration.ofSeconds(30))
            .readTimeout(Duration.ofSeconds(20))
            .callTimeout(Duration.ofSeconds(30))
            .eventListener(new InterruptAt(point, cancelled))
            .build();
    Request request =
        new Request.Builder()
            .url(upstream.baseUrl() + "/v1/chat/completions")
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try (HttpTransport.Exchange exchange =
                  transport.send(client, request, Duration.ofSeconds(1))) {
                failure.complete(new AssertionError("answered HTTP " + exchange.response().code()));
              } catch (Exception e) {
                failure.complete(e);
              }
            });
    try {
      caller.start();

      // Well before the upstream's 10 s delay: the call ended at the interrupt.
      assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
      assertThat(cancelled).hasValue(1);
      assertTheSlotIsFree(transport, client, upstream);
    } finally {
      caller.join(TimeUnit.SECONDS.toMillis(5));
      transport.release();
    }
  }

  /**
   * The only slot of {@code transport} was given back: the next call, with {@code client}'s
   * settings and no listener, gets it without waiting.
   */
  static void assertTheSlotIsFree(
      HttpTransport transport, OkHttpClient client, WireMockServer upstream) throws Exception {
    OkHttpClient plain = client.newBuilder().eventListener(EventListener.NONE).build();
    try (HttpTransport.Exchange next =
        transport.send(
            plain,
            new Request.Builder().url(upstream.baseUrl() + "/v1/models").build(),
            Duration.ZERO)) {
      assertThat(next.response().code()).isEqualTo(200);
    }
  }

  private static final class InterruptAt extends EventListener {
    private final Point point;
    private final AtomicInteger cancelled;

    InterruptAt(Point point, AtomicInteger cancelled) {
      this.point = point;
      this.cancelled = cancelled;
    }

    @Override
    public void callStart(Call call) {
      interruptAt(Point.CALL_START);
    }

    @Override
    public void connectionAcquired(Call call, Connection connection) {
      interruptAt(Point.CONNECTION_ACQUIRED);
    }

    @Override
    public void requestHeadersStart(Call call) {
      interruptAt(Point.REQUEST_HEADERS_START);
    }

    @Override
    public void requestBodyStart(Call call) {
      interruptAt(Point.REQUEST_BODY_START);
    }

    @Override
    public void canceled(Call call) {
      cancelled.incrementAndGet();
    }

    private void interruptAt(Point here) {
      if (here == point) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
