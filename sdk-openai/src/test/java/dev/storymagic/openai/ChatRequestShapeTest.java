package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.storymagic.StoryMagic;
import dev.storymagic.testing.RecordingStoryListener;
import dev.storymagic.testing.SampleStories;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JSON the model sends, checked field by field against the Chat Completions request schema:
 * https://platform.openai.com/docs/api-reference/chat/create
 */
class ChatRequestShapeTest {
  /** Top-level request fields the API documents (a subset: the ones a client may send). */
  private static final Set<String> DOCUMENTED_FIELDS =
      Set.of(
          "model",
          "messages",
          "audio",
          "frequency_penalty",
          "logit_bias",
          "logprobs",
          "max_completion_tokens",
          "max_tokens",
          "metadata",
          "modalities",
          "n",
          "parallel_tool_calls",
          "prediction",
          "presence_penalty",
          "prompt_cache_key",
          "reasoning_effort",
          "response_format",
          "safety_identifier",
          "seed",
          "service_tier",
          "stop",
          "store",
          "stream",
          "stream_options",
          "temperature",
          "tool_choice",
          "tools",
          "top_logprobs",
          "top_p",
          "user",
          "verbosity",
          "web_search_options");

  private static final Set<String> MESSAGE_ROLES =
      Set.of("developer", "system", "user", "assistant", "tool");

  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();

  @Test
  void structuredRequest_matchesTheDocumentedSchema() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    try (OpenAiStoryModel model =
            OpenAiStub.model(
                    stub.connection().organization("org-storymagic").project("proj_kids").build())
                .temperature(0.7)
                .maxOutputTokens(500)
                .user("parent-42")
                .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
                .build();
        StoryMagic magic = OpenAiStub.magic(model)) {
      magic.generate(SampleStories.request());
    }

    JsonNode body = stub.lastChatBody();
    assertThat(fieldNames(body))
        .isSubsetOf(DOCUMENTED_FIELDS)
        .containsExactlyInAnyOrder(
            "model", "messages", "temperature", "max_completion_tokens", "user", "response_format");
    assertThat(body.path("model").isTextual()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertMessages(body.path("messages"));
    assertThat(body.path("messages").get(0).path("content").asText())
        .as("the system message tells the model the schema governs the answer")
        .contains("JSON object matching the given schema");
    assertThat(body.path("temperature").isNumber()).isTrue();
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(body.path("max_completion_tokens").isIntegralNumber()).isTrue();
    assertThat(body.path("max_completion_tokens").asInt())
        .as("the configured cap is below the band's size")
        .isEqualTo(500);
    assertThat(body.path("user").isTextual()).isTrue();
    assertThat(body.path("user").asText()).isEqualTo("parent-42");
    assertThat(body.has("stream")).isFalse();
    assertThat(body.has("stream_options"))
        .as("stream_options is only allowed with stream: true")
        .isFalse();

    JsonNode format = body.path("response_format");
    assertThat(fieldNames(format)).containsExactlyInAnyOrder("type", "json_schema");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    JsonNode spec = format.path("json_schema");
    assertThat(fieldNames(spec))
        .isSubsetOf("name", "description", "schema", "strict")
        .contains("name", "schema");
    assertThat(spec.path("name").asText()).matches("^[a-zA-Z0-9_-]{1,64}$");
    assertThat(spec.path("strict").isBoolean()).isTrue();
    assertThat(spec.path("strict").asBoolean()).isTrue();
    assertStrictSchema(spec.path("schema"));
    JsonNode props = spec.path("schema").path("properties");
    assertThat(props.path("title").path("type").asText()).isEqualTo("string");
    assertThat(props.path("paragraphs").path("type").asText()).isEqualTo("array");
    assertThat(props.path("paragraphs").path("items").path("type").asText()).isEqualTo("string");

    LoggedRequest request = stub.chatLog().get(0);
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-test-0123456789");
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    assertThat(request.getHeader("OpenAI-Organization")).isEqualTo("org-storymagic");
    assertThat(request.getHeader("OpenAI-Project")).isEqualTo("proj_kids");
  }

  @Test
  void streamedRequest_asksForPlainTextWithUsageInTheLastChunk() {
    stub.server.stubFor(
        stub.chat().willReturn(OpenAiStoryModelOutcomesTest.sseResponse(OpenAiStub.sse())));
    try (OpenAiStoryModel model =
            stub.model().tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS).build();
        StoryMagic magic = OpenAiStub.magic(model)) {
      magic.stream(
              SampleStories.request().withOwner("firebase-uid-1"), new RecordingStoryListener())
          .join();
    }

    JsonNode body = stub.lastChatBody();
    assertThat(fieldNames(body))
        .isSubsetOf(DOCUMENTED_FIELDS)
        .containsExactlyInAnyOrder(
            "model", "messages", "max_completion_tokens", "user", "stream", "stream_options");
    assertMessages(body.path("messages"));
    assertThat(body.path("messages").get(0).path("content").asText())
        .contains("Answer with a title on the first line")
        .doesNotContain("JSON");
    assertThat(body.path("stream").isBoolean()).isTrue();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(fieldNames(body.path("stream_options"))).containsExactly("include_usage");
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.has("response_format")).isFalse();
    assertThat(body.has("temperature"))
        .as("unset temperature leaves the provider default")
        .isFalse();
    assertThat(body.path("user").asText())
        .as("the owner's pseudonym, never the owner id")
        .startsWith("sm-")
        .hasSize(35)
        .doesNotContain("firebase");
    assertThat(stub.chatLog().get(0).getHeader("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void plainTextModeOnASelfHostedServer_sendsNoResponseFormatAndMaxTokensSizedFromTheBand() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(okJson(OpenAiStub.completion(OpenAiStub.plainStory(), "stop", 50, 60))));
    try (OpenAiStoryModel model = stub.model().structuredOutput(false).build();
        StoryMagic magic = OpenAiStub.magic(model)) {
      assertThat(magic.generate(SampleStories.request()).paragraphs())
          .isEqualTo(OpenAiStub.PARAGRAPHS);
    }

    JsonNode body = stub.lastChatBody();
    assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages", "max_tokens");
    assertThat(body.path("max_tokens").asInt())
        .as("a short story for ages 6-8 is at most 300 words: 2 x 300 + 100")
        .isEqualTo(700);
    assertThat(body.path("messages").get(0).path("content").asText()).doesNotContain("JSON");
  }

  @Test
  void localServerWithoutKey_sendsNoAuthorizationHeader() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
    try (OpenAiStoryModel model =
            OpenAiStoryModel.builder()
                .baseUrl(stub.baseUrl() + "/")
                .model("llama3.2")
                .environment(name -> null)
                .build();
        StoryMagic magic = OpenAiStub.magic(model)) {
      magic.generate(SampleStories.request());
    }

    assertThat(stub.chatLog().get(0).containsHeader("Authorization")).isFalse();
    assertThat(stub.lastChatBody().path("model").asText()).isEqualTo("llama3.2");
  }

  private static void assertMessages(JsonNode messages) {
    assertThat(messages.isArray()).isTrue();
    assertThat(messages.size()).isEqualTo(2);
    for (JsonNode m : messages) {
      assertThat(fieldNames(m)).containsExactlyInAnyOrder("role", "content");
      assertThat(m.path("role").asText()).isIn(MESSAGE_ROLES);
      assertThat(m.path("content").isTextual()).isTrue();
      assertThat(m.path("content").asText()).isNotBlank();
    }
    assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(1).path("content").asText()).contains("Mia");
  }

  /**
   * Structured outputs' strict mode: every object lists all its properties as required and forbids
   * others.
   */
  private static void assertStrictSchema(JsonNode schema) {
    if ("object".equals(schema.path("type").asText())) {
      assertThat(schema.path("additionalProperties").isBoolean()).isTrue();
      assertThat(schema.path("additionalProperties").asBoolean()).isFalse();
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      assertThat(required)
          .containsExactlyInAnyOrderElementsOf(fieldNames(schema.path("properties")));
      schema.path("properties").forEach(ChatRequestShapeTest::assertStrictSchema);
    }
    if ("array".equals(schema.path("type").asText())) {
      assertStrictSchema(schema.path("items"));
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
