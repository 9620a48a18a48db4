package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.testing.contract.RemoteStoryModelContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model contract against the Chat Completions stub: JSON answers to plain calls, SSE to
 * streamed ones.
 */
class OpenAiStoryModelContractTest extends RemoteStoryModelContract {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();
  private static OpenAiStoryModel model;

  @BeforeAll
  static void start() {
    model = stub.model().build();
  }

  @AfterAll
  static void stop() {
    if (model != null) {
      model.close();
    }
  }

  @BeforeEach
  void answerWithAStory() {
    stub.server.stubFor(
        stub.chat()
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
            .willReturn(OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse())));
    stub.server.stubFor(
        stub.chat().atPriority(2).willReturn(okJson(OpenAiStub.structuredCompletion())));
  }

  @Override
  protected StoryModel model() {
    return model;
  }

  @Override
  protected ModelRequest request() {
    return OpenAiStub.modelRequest();
  }

  @Override
  protected void providerAnswers(int httpStatus) {
    stub.server.resetAll();
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(httpStatus)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"stub says "
                            + httpStatus
                            + "\",\"type\":\"test_error\",\"code\":null}}")));
  }

  @Override
  protected void providerCutsStreamsShort() {
    stub.server.resetAll();
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                OpenAiStoryModelOutcomesTest.sseResponse(
                    OpenAiStub.sse(OpenAiStub.deltas().subList(0, 5), null, false))));
  }
}
