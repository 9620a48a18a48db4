package dev.storymagic.openai.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.openai.OpenAiConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over TLS the transport negotiates HTTP/2 through ALPN, as with OpenAI's API, and concurrent calls
 * share one multiplexed connection instead of opening one each. The server is WireMock's Jetty on
 * HTTPS with HTTP/2 (its self-signed certificate is trusted by this test only).
 */
class HttpTransportHttp2Test {
  private static final int CONCURRENT = 50;

  private WireMockServer upstream;
  private HttpTransport transport;

  @BeforeEach
  void start() {
    upstream =
        new WireMockServer(
            options()
                .dynamicPort()
                .dynamicHttpsPort()
                .bindAddress("127.0.0.1")
                .http2TlsDisabled(false)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4));
    upstream.start();
    upstream.stubFor(get("/v1/models").willReturn(okJson("{\"data\":[]}").withFixedDelay(500)));
    transport =
        HttpTransport.create(
            OpenAiConnection.custom()
                .baseUrl(upstream.baseUrl() + "/v1")
                .apiKey("sk-test")
                .maxConcurrentRequests(CONCURRENT)
                .connectionPool(4, Duration.ofMinutes(1))
                .build());
  }

  @AfterEach
  void stop() {
    transport.release();
    upstream.stop();
  }

  @Test
  void concurrentCallsOverTls_shareOneHttp2Connection() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    List<Protocol> negotiated = new java.util.concurrent.CopyOnWriteArrayList<>();
    OkHttpClient client =
        trusting(
                transport.newClientBuilder(
                    OpenAiConnection.custom()
                        .baseUrl(upstream.baseUrl() + "/v1")
                        .apiKey("sk-test")
                        .build(),
                    Duration.ofSeconds(20)))
            .readTimeout(Duration.ofSeconds(10))
            .callTimeout(Duration.ofSeconds(20))
            .eventListener(
                new EventListener() {
                  @Override
                  public void connectEnd(
                      Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
                    connections.incrementAndGet();
                    negotiated.add(protocol);
                  }
                })
            .build();
    Request request =
        new Request.Builder()
            .url("https://localhost:" + upstream.httpsPort() + "/v1/models")
            .build();
    try (HttpTransport.Exchange first = transport.send(client, request, Duration.ofSeconds(1))) {
      assertThat(first.response().protocol()).isEqualTo(Protocol.HTTP_2);
    }
    assertThat(negotiated).containsExactly(Protocol.HTTP_2);

    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Protocol>> calls = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        calls.add(
            callers.submit(
                () -> {
                  go.await();
                  try (HttpTransport.Exchange exchange =
                      transport.send(client, request, Duration.ofSeconds(5))) {
                    assertThat(exchange.response().code()).isEqualTo(200);
                    return exchange.response().protocol();
                  }
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<Protocol> call : calls) {
        assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(Protocol.HTTP_2);
      }
      // 50 calls of 0.5 s each in about 0.5 s: they were in flight together, on the same
      // connection.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
    } finally {
      callers.shutdownNow();
    }
    assertThat(connections)
        .as("connections opened for %d concurrent calls after the first", CONCURRENT)
        .hasValue(1);
    assertThat(upstream.getAllServeEvents()).hasSize(CONCURRENT + 1);
  }

  private static OkHttpClient.Builder trusting(OkHttpClient.Builder builder) throws Exception {
    X509TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    return builder
        .sslSocketFactory(tls.getSocketFactory(), trustAll)
        .hostnameVerifier((host, session) -> true);
  }
}
