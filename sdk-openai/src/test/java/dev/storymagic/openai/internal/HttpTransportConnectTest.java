package dev.storymagic.openai.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.openai.OpenAiConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new connection is opened by the thread making the call, not handed to OkHttp's task threads
 * (its "fast fallback" races addresses there): with a thousand calls starting at once, the hand-off
 * was what they waited on before their requests left.
 */
class HttpTransportConnectTest {
  private WireMockServer upstream;

  @BeforeEach
  void start() {
    upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    upstream.start();
    upstream.stubFor(get("/v1/models").willReturn(okJson("{\"data\":[]}")));
  }

  @AfterEach
  void stop() {
    upstream.stop();
  }

  @Test
  void aNewConnectionIsOpenedOnTheCallingThread() throws Exception {
    OpenAiConnection c =
        OpenAiConnection.custom().baseUrl(upstream.baseUrl() + "/v1").apiKey("sk-test").build();
    HttpTransport transport = HttpTransport.create(c);
    List<Thread> connectingThreads = new CopyOnWriteArrayList<>();
    try {
      OkHttpClient client =
          transport
              .newClientBuilder(c, Duration.ofSeconds(10))
              .eventListener(
                  new EventListener() {
                    @Override
                    public void connectStart(
                        Call call, InetSocketAddress inetSocketAddress, Proxy proxy) {
                      connectingThreads.add(Thread.currentThread());
                    }
                  })
              .build();
      try (Response r =
          client
              .newCall(new Request.Builder().url(upstream.baseUrl() + "/v1/models").build())
              .execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      assertThat(connectingThreads).containsExactly(Thread.currentThread());
    } finally {
      transport.release();
    }
  }
}
