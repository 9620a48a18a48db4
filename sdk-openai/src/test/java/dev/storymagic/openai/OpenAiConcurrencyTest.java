package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.ModelResponse;
import dev.storymagic.testing.RecordingStreamListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One model shared by many threads: every call answers correctly and in-flight requests stay
 * bounded.
 */
class OpenAiConcurrencyTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  @Test
  void sharedModel_boundsInFlightRequestsAndAnswersEveryThread() throws Exception {
    stub.server.stubFor(
        stub.chat()
            .withHeader(
                "Accept",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/json"))
            .willReturn(okJson(OpenAiStub.structuredCompletion()).withFixedDelay(200)));
    stub.server.stubFor(
        stub.chat()
            .withHeader(
                "Accept",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("text/event-stream"))
            .willReturn(
                OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse()).withFixedDelay(200)));
    InFlight inFlight = new InFlight();
    int calls = 16;
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    // The wait for a free slot (the connect timeout) is generous: the test is about the bound, and
    // a
    // loaded build machine can take longer than 2 s to drain 16 calls through 3 slots.
    OpenAiConnection connection =
        stub.connection()
            .connectTimeout(Duration.ofSeconds(20))
            .readTimeout(Duration.ofSeconds(3))
            .maxConcurrentRequests(3)
            .build();
    try (OpenAiStoryModel model =
        OpenAiStub.model(connection)
            .callTimeout(Duration.ofSeconds(5))
            .eventListener(inFlight)
            .build()) {
      OpenAiStoryModel variant =
          model
              .newBuilder()
              .connection(
                  OpenAiConnection.from(connection).readTimeout(Duration.ofSeconds(4)).build())
              .build();
      List<Future<ModelResponse>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        OpenAiStoryModel m = i % 2 == 0 ? model : variant;
        boolean stream = i % 3 == 0;
        results.add(
            pool.submit(
                () ->
                    stream
                        ? m.stream(OpenAiStub.modelRequest(), RecordingStreamListener.create())
                        : m.generate(OpenAiStub.modelRequest())));
      }
      for (Future<ModelResponse> f : results) {
        ModelResponse r = f.get();
        assertThat(r.title()).isEqualTo(OpenAiStub.TITLE);
        assertThat(r.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
      }
      variant.close();
    } finally {
      pool.shutdownNow();
    }

    assertThat(stub.chatRequests()).isEqualTo(calls);
    assertThat(inFlight.max.get()).as("variants share the model's limit").isBetween(2, 3);
    assertThat(inFlight.current.get()).isZero();
  }

  /** Counts calls between start and end, as OkHttp reports them. */
  static final class InFlight extends EventListener {
    final AtomicInteger current = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    @Override
    public void callStart(Call call) {
      max.accumulateAndGet(current.incrementAndGet(), Math::max);
    }

    @Override
    public void callEnd(Call call) {
      current.decrementAndGet();
    }

    @Override
    public void callFailed(Call call, IOException e) {
      current.decrementAndGet();
    }
  }
}
