package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.storymagic.Story;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.SampleStories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How real OpenAI-compatible servers (llama.cpp's server, Ollama, vLLM) differ from OpenAI, each
 * shape replayed through WireMock on both the plain and the streaming path, end to end through
 * {@link StoryMagic}.
 */
class ServerCompatibilityTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  /** The two ways a story is asked for. */
  enum Path {
    PLAIN,
    STREAMING
  }

  // ------------------------------------------------------------------ the shapes

  @ParameterizedTest
  @EnumSource(Path.class)
  void proseAnswer_evenToAStructuredRequest_isReadAsTheStory(Path path) {
    answer(path, OpenAiStub.plainStory(), Shape.OPENAI);
    Outcome outcome = run(path, stub.model());
    assertThat(outcome.story.title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(outcome.story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void jsonAnswer_evenToAStreamedRequest_isReadAsJsonAndNeverShown(Path path) {
    answer(path, storyJson(), Shape.OPENAI);
    Outcome outcome = run(path, stub.model());
    assertThat(outcome.story.title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(outcome.story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(String.join("", outcome.shown)).doesNotContain("{").doesNotContain("\"paragraphs\"");
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void noRoleInTheFirstChunkOrMessage_isFine(Path path) {
    answer(path, OpenAiStub.plainStory(), Shape.NO_ROLE);
    assertThat(run(path, stub.model()).story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void usageOnTheFinalContentChunk_isCounted(Path path) {
    answer(path, OpenAiStub.plainStory(), Shape.USAGE_ON_LAST_CONTENT);
    assertThat(run(path, stub.model()).story.usage()).isEqualTo(new TokenUsage(120, 85));
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void anyModelNameIsAcceptedAndTheAnsweringModelIsReported(Path path) {
    answer(path, OpenAiStub.plainStory(), Shape.LOCAL_MODEL_NAME);
    Outcome outcome =
        run(path, OpenAiStoryModel.builder().baseUrl(stub.baseUrl()).model("whatever-is-loaded"));
    assertThat(stub.lastChatBody().path("model").asText()).isEqualTo("whatever-is-loaded");
    assertThat(outcome.story.model()).isEqualTo("/models/llama-3.2-3b-instruct-q4_k_m.gguf");
    assertThat(outcome.story.estimatedCostUsd()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void numericErrorCode_isReadAndARejectedRequestIsNotRetried(Path path) {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\","
                            + "\"type\":\"invalid_request_error\"}}")));
    StoryMagicException.ModelFailure e = failure(path, StoryMagicException.ModelFailure.class);
    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelFailure.Reason.BAD_REQUEST);
    assertThat(e.getMessage()).contains("exceeds the available context size");
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void http500ForARequestTheServerCannotParse_isABadRequestNotRetried(Path path) {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"code\":500,\"message\":\"[json.exception.parse_error.101] parse error at line 1, "
                            + "column 1: syntax error\",\"type\":\"server_error\"}}")));
    StoryMagicException.ModelFailure e = failure(path, StoryMagicException.ModelFailure.class);
    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelFailure.Reason.BAD_REQUEST);
    assertThat(e.getMessage()).contains("HTTP 500").contains("parse error");
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void http500ForAnythingElse_isStillTransientAndRetried(Path path) {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"code\":500,\"message\":\"slot unavailable\",\"type\":\"server_error\"}}")));
    StoryMagicException.ModelUnavailable e =
        failure(path, StoryMagicException.ModelUnavailable.class);
    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED);
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void contentFilterFinish_isAContentRefusal(Path path) {
    answer(path, OpenAiStub.plainStory(), Shape.CONTENT_FILTER);
    StoryMagicException.ModelFailure e = failure(path, StoryMagicException.ModelFailure.class);
    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED);
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void noModerationEndpoint_inputPassesAndTheOutputSaysTheFilterIsAbsent(Path path) {
    answer(path, OpenAiStub.plainStory(), Shape.OPENAI);
    stub.server.stubFor(
        post(urlEqualTo("/v1/moderations"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}")));
    try (OpenAiStoryModel model = stub.model().build();
        OpenAiModerationFilter moderation = OpenAiModerationFilter.create(model);
        StoryMagic magic =
            StoryMagic.builder()
                .model(model)
                .safety(SafetyFilter.passThrough())
                .moderation(moderation)
                .resilience(OpenAiStub.fastRetries())
                .build()) {
      for (int i = 0; i < 2; i++) {
        StoryMagicException.UnsafeOutput e =
            (StoryMagicException.UnsafeOutput)
                unwrap(
                    catchThrowable(
                        () ->
                            call(
                                path,
                                magic,
                                SampleStories.request().toBuilder().fresh(true).build(),
                                new ArrayList<>())));
        assertThat(e.lastVerdict().findings())
            .singleElement()
            .satisfies(f -> assertThat(f.source()).isEqualTo(OpenAiModerationFilter.ABSENT_SOURCE));
      }
    }
    assertThat(
            stub.server
                .countRequestsMatching(postRequestedFor(urlEqualTo("/v1/moderations")).build())
                .getCount())
        .as(
            "the first 404 marks the endpoint absent; it is not asked again for every story or input")
        .isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  /** Where a server puts things in its answer. */
  enum Shape {
    OPENAI,
    NO_ROLE,
    USAGE_ON_LAST_CONTENT,
    LOCAL_MODEL_NAME,
    CONTENT_FILTER
  }

  private record Outcome(Story story, List<String> shown) {}

  private static Outcome run(Path path, OpenAiStoryModel.Builder builder) {
    try (OpenAiStoryModel model = builder.build();
        StoryMagic magic = OpenAiStub.magic(model)) {
      List<String> shown = new CopyOnWriteArrayList<>();
      return new Outcome(call(path, magic, SampleStories.request(), shown), shown);
    }
  }

  private static Story call(
      Path path, StoryMagic magic, dev.storymagic.StoryRequest request, List<String> shown) {
    if (path == Path.PLAIN) {
      return magic.generate(request);
    }
    return magic.stream(
            request,
            new StoryListener() {
              @Override
              public void onText(String text) {
                shown.add(text);
              }

              @Override
              public void onComplete(Story story) {}

              @Override
              public void onError(StoryMagicException error) {}
            })
        .join();
  }

  private static <T extends StoryMagicException> T failure(Path path, Class<T> type) {
    Throwable t;
    try (OpenAiStoryModel model = stub.model().build();
        StoryMagic magic =
            OpenAiStub.magic(
                model,
                OpenAiStub.fastRetries().toBuilder()
                    .initialBackoff(Duration.ofMillis(5))
                    .build())) {
      t =
          unwrap(
              catchThrowable(() -> call(path, magic, SampleStories.request(), new ArrayList<>())));
    }
    assertThat(t).isInstanceOf(type);
    return type.cast(t);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static String storyJson() {
    ObjectNode story = OpenAiStub.JSON.createObjectNode().put("title", OpenAiStub.TITLE);
    ArrayNode ps = story.putArray("paragraphs");
    OpenAiStub.PARAGRAPHS.forEach(ps::add);
    return story.toString();
  }

  /** Stubs the answer for {@code path}: a completion holding {@code content}, or a stream of it. */
  private static void answer(Path path, String content, Shape shape) {
    String model =
        shape == Shape.LOCAL_MODEL_NAME
            ? "/models/llama-3.2-3b-instruct-q4_k_m.gguf"
            : "gpt-4o-mini";
    String finish = shape == Shape.CONTENT_FILTER ? "content_filter" : "stop";
    ResponseDefinitionBuilder response;
    if (path == Path.PLAIN) {
      ObjectNode root =
          OpenAiStub.JSON
              .createObjectNode()
              .put("id", "chatcmpl-1")
              .put("object", "chat.completion")
              .put("model", model);
      ObjectNode choice =
          root.putArray("choices").addObject().put("index", 0).put("finish_reason", finish);
      ObjectNode message = choice.putObject("message").put("content", content);
      if (shape != Shape.NO_ROLE) {
        message.put("role", "assistant");
      }
      root.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 85);
      response = okJson(root.toString());
    } else {
      response =
          aResponse()
              .withStatus(200)
              .withHeader("Content-Type", "text/event-stream")
              .withBody(sse(content, shape, model, finish));
    }
    stub.server.stubFor(
        stub.chat()
            .withHeader(
                "Accept", equalTo(path == Path.PLAIN ? "application/json" : "text/event-stream"))
            .willReturn(response));
  }

  private static String sse(String content, Shape shape, String model, String finish) {
    StringBuilder out = new StringBuilder();
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < content.length(); i += 9) {
      pieces.add(content.substring(i, Math.min(content.length(), i + 9)));
    }
    for (int i = 0; i < pieces.size(); i++) {
      ObjectNode chunk =
          OpenAiStub.JSON
              .createObjectNode()
              .put("id", "chatcmpl-1")
              .put("object", "chat.completion.chunk")
              .put("model", model);
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      ObjectNode delta = choice.putObject("delta").put("content", pieces.get(i));
      if (i == 0 && shape != Shape.NO_ROLE) {
        delta.put("role", "assistant");
      }
      boolean last = i == pieces.size() - 1;
      if (last && shape == Shape.USAGE_ON_LAST_CONTENT) {
        choice.put("finish_reason", finish);
        chunk.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 85);
      } else {
        choice.putNull("finish_reason");
      }
      out.append("data: ").append(chunk).append("\n\n");
    }
    if (shape != Shape.USAGE_ON_LAST_CONTENT) {
      ObjectNode end =
          OpenAiStub.JSON
              .createObjectNode()
              .put("object", "chat.completion.chunk")
              .put("model", model);
      end.putArray("choices")
          .addObject()
          .put("index", 0)
          .put("finish_reason", finish)
          .putObject("delta");
      out.append("data: ").append(end).append("\n\n");
      ObjectNode usage =
          OpenAiStub.JSON
              .createObjectNode()
              .put("object", "chat.completion.chunk")
              .put("model", model);
      usage.putArray("choices");
      usage.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 85);
      out.append("data: ").append(usage).append("\n\n");
    }
    out.append("data: [DONE]\n\n");
    return out.toString();
  }
}
