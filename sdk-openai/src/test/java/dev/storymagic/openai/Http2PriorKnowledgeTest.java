package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.storymagic.spi.ModelResponse;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Protocol;
import org.junit.jupiter.api.Test;

/**
 * {@code http2PriorKnowledge(true)}: cleartext HTTP/2 (h2c) to a server that speaks it, calls
 * multiplexed.
 */
class Http2PriorKnowledgeTest {
  private static final int CONCURRENT = 40;

  @Test
  void concurrentGenerations_shareOneCleartextHttp2Connection() throws Exception {
    WireMockServer upstream =
        new WireMockServer(
            options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .http2PlainDisabled(false)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4));
    upstream.start();
    upstream.stubFor(
        WireMock.post(OpenAiStub.CHAT)
            .willReturn(WireMock.okJson(OpenAiStub.structuredCompletion()).withFixedDelay(500)));
    List<Protocol> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
    try (OpenAiStoryModel model =
        OpenAiStoryModel.builder()
            .connection(
                OpenAiConnection.custom()
                    .baseUrl(upstream.baseUrl() + "/v1")
                    .apiKey("sk-test")
                    .http2PriorKnowledge(true)
                    .readTimeout(Duration.ofSeconds(10))
                    .build())
            .callTimeout(Duration.ofSeconds(20))
            .eventListener(
                new EventListener() {
                  @Override
                  public void connectEnd(
                      Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
                    opened.add(protocol);
                  }
                })
            .build()) {
      model.generate(OpenAiStub.modelRequest());
      assertThat(opened).containsExactly(Protocol.H2_PRIOR_KNOWLEDGE);

      CountDownLatch go = new CountDownLatch(1);
      List<Future<ModelResponse>> calls = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        calls.add(
            callers.submit(
                () -> {
                  go.await();
                  return model.generate(OpenAiStub.modelRequest());
                }));
      }
      go.countDown();
      for (Future<ModelResponse> call : calls) {
        assertThat(call.get(20, TimeUnit.SECONDS).title()).isEqualTo(OpenAiStub.TITLE);
      }
      assertThat(opened).as("connections opened").hasSize(1);
      assertThat(upstream.getAllServeEvents()).hasSize(CONCURRENT + 1);
    } finally {
      callers.shutdownNow();
      upstream.stop();
    }
  }
}
