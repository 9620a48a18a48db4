package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.Prompt;
import dev.storymagic.ResilienceSettings;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.StoryMagic;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.WordBand;
import dev.storymagic.testing.SampleStories;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** A WireMock server on a loopback port standing in for an OpenAI-compatible API, with canned answers. */
final class OpenAiStub implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "/v1/chat/completions";
  static final String TITLE = "Mia and the Lost Star";
  /** About 100 words: long enough for the pipeline's hard length check on a short story for ages 6-8. */
  static final List<String> PARAGRAPHS = List.of(
      "Mia looked up at the night sky. A tiny light blinked at her from behind the old oak tree. "
          + "It was smaller than the other stars, and it seemed to be shivering in the cold wind.",
      "Bolt the robot beeped. \"That star is lost,\" he said. Mia nodded and fetched her warm blue scarf. "
          + "Together they climbed the hill at the end of the garden, one careful step after another.",
      "Together they carried the star home. They shared their cocoa with it. The star glowed brighter and brighter, "
          + "and when it was warm again it floated back up to its family in the sky.");

  final WireMockServer server;

  private OpenAiStub(WireMockServer server) {
    this.server = server;
  }

  static OpenAiStub start() {
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
        .asynchronousResponseEnabled(true).asynchronousResponseThreads(16));
    server.start();
    return new OpenAiStub(server);
  }

  String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  /** A connection to this server with a test key. */
  OpenAiConnection.Builder connection() {
    return OpenAiConnection.custom().baseUrl(baseUrl()).apiKey("sk-test-0123456789");
  }

  /** A model pointed at this server with a test key and short timeouts. */
  OpenAiStoryModel.Builder model() {
    return model(connection().connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(3)).build())
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
    return StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).resilience(resilience).build();
  }

  static ModelRequest modelRequest() {
    Prompt prompt = new Prompt(List.of(
        new ChatMessage(ChatMessage.Role.SYSTEM, "You are StoryMagic, a children's author."),
        new ChatMessage(ChatMessage.Role.USER, "Please write a space story.")), "story-v1");
    return new ModelRequest(prompt, SampleStories.request(), ThemeCatalog.defaults().find("space").orElseThrow(),
        new WordBand(30, 300), 7L, 1);
  }

  MappingBuilder chat() {
    return post(urlEqualTo(CHAT));
  }

  int chatRequests() {
    return server.countRequestsMatching(postRequestedFor(urlEqualTo(CHAT)).build()).getCount();
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
    ObjectNode story = JSON.createObjectNode().put("title", title);
    ArrayNode ps = story.putArray("paragraphs");
    paragraphs.forEach(ps::add);
    return completion(story.toString(), finishReason, 120, 85);
  }

  static String structuredCompletion() {
    return structuredCompletion(TITLE, PARAGRAPHS, "stop");
  }

  static String completion(String content, String finishReason, int promptTokens, int completionTokens) {
    ObjectNode root = JSON.createObjectNode()
        .put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1_700_000_000L)
        .put("model", "gpt-4o-mini-2024-07-18");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
    choice.put("finish_reason", finishReason);
    root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return root.toString();
  }

  /** The story in the plain-text layout: title, blank line, paragraphs separated by blank lines. */
  static String plainStory() {
    return TITLE + "\n\n" + String.join("\n\n", PARAGRAPHS);
  }

  /** The plain-text story cut into small deltas, as a server streams it. */
  static List<String> deltas() {
    String text = plainStory();
    java.util.ArrayList<String> pieces = new java.util.ArrayList<>();
    for (int i = 0; i < text.length(); i += 7) {
      pieces.add(text.substring(i, Math.min(text.length(), i + 7)));
    }
    return pieces;
  }

  /** An SSE body: a role chunk, one chunk per delta, a finish chunk, a usage chunk, then [DONE] if asked. */
  static String sse(List<String> deltas, String finishReason, boolean done) {
    StringBuilder out = new StringBuilder();
    ObjectNode first = chunk();
    first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
        .putObject("delta").put("role", "assistant").put("content", "");
    event(out, first);
    for (String d : deltas) {
      ObjectNode c = chunk();
      ObjectNode choice = c.withArray("choices").addObject().put("index", 0);
      choice.putObject("delta").put("content", d);
      choice.putNull("finish_reason");
      event(out, c);
    }
    if (finishReason != null) {
      ObjectNode end = chunk();
      end.withArray("choices").addObject().put("index", 0).put("finish_reason", finishReason).putObject("delta");
      event(out, end);
      ObjectNode usage = chunk();
      usage.putArray("choices");
      usage.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 85).put("total_tokens", 205);
      event(out, usage);
    }
    if (done) {
      out.append("data: [DONE]\n\n");
    }
    return out.toString();
  }

  static String sse() {
    return sse(deltas(), "stop", true);
  }

  private static ObjectNode chunk() {
    return JSON.createObjectNode().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
        .put("created", 1_700_000_000L).put("model", "gpt-4o-mini-2024-07-18");
  }

  private static void event(StringBuilder out, JsonNode data) {
    out.append("data: ").append(data.toString()).append("\n\n");
  }

  @Override
  public void close() {
    server.stop();
  }
}
