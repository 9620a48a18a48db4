package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.testing.RecordingStreamListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streaming at the model level: incremental delivery, title handling, usage, cancellation. */
class OpenAiStreamingTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  @Test
  void stream_deliversTitleThenBodyDeltasWithUsage() {
    stub.server.stubFor(
        stub.chat().willReturn(OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse())));
    RecordingStreamListener recorder = RecordingStreamListener.create();

    ModelResponse response;
    try (OpenAiStoryModel model = stub.model().build()) {
      response = model.stream(OpenAiStub.modelRequest(), recorder);
    }

    assertThat(recorder.titles()).containsExactly(OpenAiStub.TITLE);
    assertThat(recorder.deltas().size()).isGreaterThan(5);
    assertThat(recorder.text()).isEqualTo(String.join("\n\n", OpenAiStub.PARAGRAPHS));
    assertThat(response.title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(response.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(response.usage()).isEqualTo(new TokenUsage(120, 85));
    assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
  }

  @Test
  void stream_passesDeltasOnBeforeTheBodyHasEnded() {
    // Dribbled over 3 s in 12 chunks: a client that buffered the body would see nothing for 3 s.
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse())
                    .withChunkedDribbleDelay(12, 3000)));
    RecordingStreamListener recorder = RecordingStreamListener.create();

    try (OpenAiStoryModel model =
        OpenAiStub.model(stub.connection().readTimeout(Duration.ofSeconds(5)).build())
            .callTimeout(Duration.ofSeconds(10))
            .build()) {
      CompletableFuture<ModelResponse> result =
          CompletableFuture.supplyAsync(() -> model.stream(OpenAiStub.modelRequest(), recorder));

      await().atMost(Duration.ofMillis(2500)).until(() -> !recorder.deltas().isEmpty());
      assertThat(result).as("the body is still arriving when the first delta is out").isNotDone();
      assertThat(result.join().paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    }
  }

  @Test
  void stream_consumerCancels_cancelsTheHttpCallAndFails() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse())
                    .withChunkedDribbleDelay(20, 4000)));
    AtomicBoolean callCancelled = new AtomicBoolean();
    RecordingStreamListener recorder = RecordingStreamListener.cancellingAfter(1);

    try (OpenAiStoryModel model =
        OpenAiStub.model(stub.connection().readTimeout(Duration.ofSeconds(5)).build())
            .callTimeout(Duration.ofSeconds(10))
            .eventListener(
                new EventListener() {
                  @Override
                  public void canceled(Call call) {
                    callCancelled.set(true);
                  }
                })
            .build()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> model.stream(OpenAiStub.modelRequest(), recorder))
          .isInstanceOf(StoryMagicException.Cancelled.class)
          .hasMessageContaining("cancelled by its consumer");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3500));
    }
    assertThat(callCancelled).isTrue();
    assertThat(recorder.deltas()).hasSize(1);
  }

  @Test
  void stream_interruptedCaller_cancelsTheHttpCall() throws Exception {
    assertInterruptingTheCallerCancelsTheHttpCall(
        OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse()),
        model -> model.stream(OpenAiStub.modelRequest(), RecordingStreamListener.create()));
  }

  @Test
  void stream_withoutTitleLine_deliversEverythingAsBody() {
    String oneLine = "Mia and Bolt shared the stars, and everyone was happy.";
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                OpenAiStoryModelOutcomesTest.sseResponse(
                    OpenAiStub.sse(
                        List.of(oneLine.substring(0, 20), oneLine.substring(20)), "stop", true))));
    RecordingStreamListener recorder = RecordingStreamListener.create();

    ModelResponse response;
    try (OpenAiStoryModel model = stub.model().build()) {
      response = model.stream(OpenAiStub.modelRequest(), recorder);
    }

    assertThat(recorder.titles()).isEmpty();
    assertThat(recorder.text()).isEqualTo(oneLine);
    assertThat(response.title()).isEmpty();
    assertThat(response.paragraphs()).containsExactly(oneLine);
  }

  @Test
  void stream_fromServerWithoutUsage_reportsZeroTokens() {
    String body =
        OpenAiStub.sse(OpenAiStub.deltas(), null, false)
            + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    stub.server.stubFor(stub.chat().willReturn(OpenAiStoryModelOutcomesTest.sseResponse(body)));

    try (OpenAiStoryModel model = stub.model().build()) {
      ModelResponse response =
          model.stream(OpenAiStub.modelRequest(), RecordingStreamListener.create());
      assertThat(response.usage()).isEqualTo(TokenUsage.NONE);
      assertThat(response.estimatedCostUsd()).isZero();
    }
  }

  @Test
  void stream_answeredWithJsonContentType_isInvalidResponse() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));

    try (OpenAiStoryModel model = stub.model().build()) {
      assertThatThrownBy(
              () -> model.stream(OpenAiStub.modelRequest(), RecordingStreamListener.create()))
          .isInstanceOf(dev.storymagic.StoryMagicException.ModelFailure.class)
          .hasMessageContaining("unreadable stream");
    }
  }

  @Test
  void stream_framingVariants_areReadLikeLineFeedFraming() {
    String lf = OpenAiStub.sse();
    // CRLF line ends, comments and other fields, a data field without the space, the [DONE] event
    // without its closing blank line at the end of the body: all as a browser's EventSource reads
    // them.
    String variant =
        ": keep-alive\r\n\r\n"
            + lf.replace("data: ", "event: chunk\r\nid: 7\r\ndata:")
                .replace("\n", "\r\n")
                .replace("\r\r\n", "\r\n");
    variant = variant.substring(0, variant.length() - 2);
    for (String body : List.of(lf, variant)) {
      stub.server.resetAll();
      stub.server.stubFor(stub.chat().willReturn(OpenAiStoryModelOutcomesTest.sseResponse(body)));
      RecordingStreamListener recorder = RecordingStreamListener.create();
      try (OpenAiStoryModel model = stub.model().build()) {
        ModelResponse response = model.stream(OpenAiStub.modelRequest(), recorder);
        assertThat(response.title()).isEqualTo(OpenAiStub.TITLE);
        assertThat(response.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
        assertThat(response.usage().outputTokens()).isPositive();
      }
    }
  }

  @Test
  void stream_dataSplitOverTwoLines_isOneEvent() {
    String body =
        """
        data: {"model":"m","choices":[{"index":0,"delta":
        data: {"content":"The Kite\\n\\nIt flew."},"finish_reason":"stop"}]}

        data: [DONE]

        """;
    stub.server.stubFor(stub.chat().willReturn(OpenAiStoryModelOutcomesTest.sseResponse(body)));
    try (OpenAiStoryModel model = stub.model().build()) {
      ModelResponse response =
          model.stream(OpenAiStub.modelRequest(), RecordingStreamListener.create());
      assertThat(response.title()).isEqualTo("The Kite");
      assertThat(response.paragraphs()).containsExactly("It flew.");
    }
  }

  @Test
  void generate_interruptedCaller_cancelsTheHttpCall() throws Exception {
    assertInterruptingTheCallerCancelsTheHttpCall(
        okJson(OpenAiStub.structuredCompletion()),
        model -> model.generate(OpenAiStub.modelRequest()));
  }

  /**
   * With {@code answer} 4 seconds late, interrupting the thread that runs {@code makeCall} fails it
   * with {@link StoryMagicException.Cancelled} and cancels the HTTP call.
   */
  private static void assertInterruptingTheCallerCancelsTheHttpCall(
      ResponseDefinitionBuilder answer, Consumer<OpenAiStoryModel> makeCall) throws Exception {
    stub.server.stubFor(stub.chat().willReturn(answer.withFixedDelay(4000)));
    AtomicBoolean callCancelled = new AtomicBoolean();
    AtomicInteger started = new AtomicInteger();
    try (OpenAiStoryModel model =
        OpenAiStub.model(stub.connection().readTimeout(Duration.ofSeconds(6)).build())
            .callTimeout(Duration.ofSeconds(10))
            .eventListener(
                new EventListener() {
                  @Override
                  public void callStart(Call call) {
                    started.incrementAndGet();
                  }

                  @Override
                  public void canceled(Call call) {
                    callCancelled.set(true);
                  }
                })
            .build()) {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  makeCall.accept(model);
                  failure.complete(null);
                } catch (RuntimeException e) {
                  failure.complete(e);
                }
              });
      caller.start();
      await().atMost(Duration.ofSeconds(2)).until(() -> started.get() == 1);
      caller.interrupt();

      assertThat(failure.get(2, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(StoryMagicException.Cancelled.class)
          .hasMessageContaining("interrupted");
    }
    // The watch thread may be the one cancelling: its canceled event can follow the caller's
    // failure.
    await().atMost(Duration.ofSeconds(1)).untilTrue(callCancelled);
  }
}
