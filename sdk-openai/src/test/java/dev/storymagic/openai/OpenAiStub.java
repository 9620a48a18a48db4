package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.storymagic.ResilienceSettings;
import dev.storymagic.StoryMagic;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.WordBand;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.Prompt;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.openai.ChatCompletionsStub;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared {@link ChatCompletionsStub} with this module's story and the model builders pointed at
 * it. A test class holds one as a static {@code @RegisterExtension} field: the server starts with
 * the class, forgets its stubs and recorded requests before each test, and stops after the last.
 */
final class OpenAiStub implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
  static final ObjectMapper JSON = ChatCompletionsStub.JSON;
  static final String CHAT = ChatCompletionsStub.CHAT;
  static final String TITLE = "Mia and the Lost Star";

  /**
   * About 100 words: long enough for the pipeline's hard length check on a short story for ages
   * 6-8.
   */
  static final List<String> PARAGRAPHS =
      List.of(
          "Mia looked up at the night sky. A tiny light blinked at her from behind the old oak tree. "
              + "It was smaller than the other stars, and it seemed to be shivering in the cold wind.",
          "Bolt the robot beeped. \"That star is lost,\" he said. Mia nodded and fetched her warm blue scarf. "
              + "Together they climbed the hill at the end of the garden, one careful step after another.",
          "Together they carried the star home. They shared their cocoa with it. The star glowed brighter and brighter, "
              + "and when it was warm again it floated back up to its family in the sky.");

  private final ChatCompletionsStub stub;
  final WireMockServer server;

  private OpenAiStub(ChatCompletionsStub stub) {
    this.stub = stub;
    this.server = stub.server();
  }

  static OpenAiStub start() {
    return new OpenAiStub(ChatCompletionsStub.start());
  }

  String baseUrl() {
    return stub.baseUrl();
  }

  /** A connection to this server with a test key. */
  OpenAiConnection.Builder connection() {
    return OpenAiConnection.custom().baseUrl(baseUrl()).apiKey("sk-test-0123456789");
  }

  /** A model pointed at this server with a test key and short timeouts. */
  OpenAiStoryModel.Builder model() {
    return model(
            connection()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(3))
                .build())
        .callTimeout(Duration.ofSeconds(5));
  }

  /** A model pointed at this server with a test key and the default timeouts. */
  OpenAiStoryModel.Builder bareModel() {
    return model(connection().build());
  }

  /** A model on {@code connection}. */
  static OpenAiStoryModel.Builder model(OpenAiConnection connection) {
    return OpenAiStoryModel.builder().connection(connection).model("gpt-4o-mini");
  }

  /** Fast retries (10 ms, doubling) that still honour a retry-after hint of up to 3 s. */
  static ResilienceSettings fastRetries() {
    return ResilienceSettings.builder()
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofSeconds(3))
        .attemptTimeout(Duration.ofSeconds(8))
        .build();
  }

  static StoryMagic magic(OpenAiStoryModel model) {
    return magic(model, fastRetries());
  }

  static StoryMagic magic(OpenAiStoryModel model, ResilienceSettings resilience) {
    return StoryMagic.builder()
        .model(model)
        .safety(SafetyFilter.passThrough())
        .resilience(resilience)
        .build();
  }

  static ModelRequest modelRequest() {
    Prompt prompt =
        new Prompt(
            List.of(
                new ChatMessage(
                    ChatMessage.Role.SYSTEM, "You are StoryMagic, a children's author."),
                new ChatMessage(ChatMessage.Role.USER, "Please write a space story.")),
            "story-v1");
    return new ModelRequest(
        prompt,
        SampleStories.request(),
        ThemeCatalog.defaults().find("space").orElseThrow(),
        new WordBand(30, 300),
        7L,
        1);
  }

  MappingBuilder chat() {
    return ChatCompletionsStub.chat();
  }

  int chatRequests() {
    return stub.chatRequests();
  }

  /** The chat requests in the order they arrived. */
  List<LoggedRequest> chatLog() {
    return server.findAll(postRequestedFor(urlEqualTo(CHAT))).stream()
        .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
  }

  JsonNode lastChatBody() {
    List<LoggedRequest> log = chatLog();
    try {
      return JSON.readTree(log.get(log.size() - 1).getBodyAsString());
    } catch (Exception e) {
      throw new AssertionError("request body is not JSON", e);
    }
  }

  /** A non-streamed completion whose content is the structured story JSON. */
  static String structuredCompletion(String title, List<String> paragraphs, String finishReason) {
    return ChatCompletionsStub.structuredCompletion(title, paragraphs, finishReason, 120, 85);
  }

  static String structuredCompletion() {
    return structuredCompletion(TITLE, PARAGRAPHS, "stop");
  }

  static String completion(
      String content, String finishReason, int promptTokens, int completionTokens) {
    return ChatCompletionsStub.completion(content, finishReason, promptTokens, completionTokens);
  }

  /** The story in the plain-text layout: title, blank line, paragraphs separated by blank lines. */
  static String plainStory() {
    return ChatCompletionsStub.plainStory(TITLE, PARAGRAPHS);
  }

  /** The plain-text story cut into small deltas, as a server streams it. */
  static List<String> deltas() {
    return ChatCompletionsStub.deltas(plainStory(), 7);
  }

  /**
   * An SSE body: a role chunk, one chunk per delta, a finish chunk, a usage chunk, then [DONE] if
   * asked.
   */
  static String sse(List<String> deltas, String finishReason, boolean done) {
    return ChatCompletionsStub.sse(deltas, finishReason, done);
  }

  static String sse() {
    return sse(deltas(), "stop", true);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.resetAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    stub.close();
  }
}
