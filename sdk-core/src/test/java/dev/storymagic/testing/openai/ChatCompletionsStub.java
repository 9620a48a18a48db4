package dev.storymagic.testing.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI Chat Completions API as WireMock answers it, for every module's tests: a loopback
 * server, the request matchers, and the bodies the API sends (a JSON completion, an SSE stream, an
 * error, a moderation result, the model list). One definition of the wire format instead of a copy
 * per module.
 */
public final class ChatCompletionsStub implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String CHAT = "/v1/chat/completions";
  public static final String MODERATIONS = "/v1/moderations";
  public static final String MODELS = "/v1/models";

  /** The model name the stub reports, as a provider pins it. */
  public static final String REPORTED_MODEL = "gpt-4o-mini-2024-07-18";

  private final WireMockServer server;

  private ChatCompletionsStub(WireMockServer server) {
    this.server = server;
  }

  /** A server on a free loopback port, answering slow responses on 16 threads. */
  public static ChatCompletionsStub start() {
    WireMockServer server =
        new WireMockServer(
            options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16));
    server.start();
    return new ChatCompletionsStub(server);
  }

  public WireMockServer server() {
    return server;
  }

  /** The API's base URL, ending in {@code /v1}. */
  public String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  /** How many chat requests arrived. */
  public int chatRequests() {
    return server.countRequestsMatching(postRequestedFor(urlEqualTo(CHAT)).build()).getCount();
  }

  @Override
  public void close() {
    server.stop();
  }

  // ---------------------------------------------------------------------------- matchers

  public static MappingBuilder chat() {
    return post(urlEqualTo(CHAT));
  }

  public static MappingBuilder moderations() {
    return post(urlEqualTo(MODERATIONS));
  }

  public static MappingBuilder models() {
    return get(urlEqualTo(MODELS));
  }

  // ---------------------------------------------------------------------------- bodies

  /** A non-streamed completion with {@code content} as the assistant's message. */
  public static String completion(
      String content, String finishReason, int promptTokens, int completionTokens) {
    ObjectNode root = envelope("chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
    choice.put("finish_reason", finishReason);
    root.putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return root.toString();
  }

  /**
   * A completion whose content is the structured story JSON {@code {"title":...,
   * "paragraphs":[...]}}.
   */
  public static String structuredCompletion(
      String title,
      List<String> paragraphs,
      String finishReason,
      int promptTokens,
      int completionTokens) {
    ObjectNode story = JSON.createObjectNode().put("title", title);
    ArrayNode ps = story.putArray("paragraphs");
    paragraphs.forEach(ps::add);
    return completion(story.toString(), finishReason, promptTokens, completionTokens);
  }

  /** A story in the plain-text layout: title, blank line, paragraphs separated by blank lines. */
  public static String plainStory(String title, List<String> paragraphs) {
    return title + "\n\n" + String.join("\n\n", paragraphs);
  }

  /** {@code text} cut into pieces of {@code size} characters, as a server streams it. */
  public static List<String> deltas(String text, int size) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += size) {
      pieces.add(text.substring(i, Math.min(text.length(), i + size)));
    }
    return pieces;
  }

  /**
   * An SSE body: a role chunk, one chunk per delta, then (unless {@code finishReason} is null) a
   * finish chunk and a usage chunk, then {@code data: [DONE]} if asked.
   */
  public static String sse(List<String> deltas, String finishReason, boolean done) {
    StringBuilder out = new StringBuilder();
    ObjectNode first = envelope("chat.completion.chunk");
    first
        .withArray("choices")
        .addObject()
        .put("index", 0)
        .putNull("finish_reason")
        .putObject("delta")
        .put("role", "assistant")
        .put("content", "");
    event(out, first);
    for (String d : deltas) {
      ObjectNode c = envelope("chat.completion.chunk");
      ObjectNode choice = c.withArray("choices").addObject().put("index", 0);
      choice.putObject("delta").put("content", d);
      choice.putNull("finish_reason");
      event(out, c);
    }
    if (finishReason != null) {
      ObjectNode end = envelope("chat.completion.chunk");
      end.withArray("choices")
          .addObject()
          .put("index", 0)
          .put("finish_reason", finishReason)
          .putObject("delta");
      event(out, end);
      ObjectNode usage = envelope("chat.completion.chunk");
      usage.putArray("choices");
      usage
          .putObject("usage")
          .put("prompt_tokens", 120)
          .put("completion_tokens", 85)
          .put("total_tokens", 205);
      event(out, usage);
    }
    if (done) {
      out.append("data: [DONE]\n\n");
    }
    return out.toString();
  }

  /** A 200 answer carrying an SSE body. */
  public static ResponseDefinitionBuilder sseResponse(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream; charset=utf-8")
        .withBody(body);
  }

  /**
   * An error answer in the API's shape: {@code {"error":{"message":..., "type":..., "code":null}}}.
   */
  public static ResponseDefinitionBuilder error(int status, String message, String type) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", type).putNull("code");
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(root.toString());
  }

  /**
   * A moderation result with every category scored low, or the {@code flagged} ones scored high.
   */
  public static ResponseDefinitionBuilder moderation(String... flagged) {
    ObjectNode root =
        JSON.createObjectNode().put("id", "modr-1").put("model", "omni-moderation-2024-09-26");
    ObjectNode result = root.putArray("results").addObject();
    result.put("flagged", flagged.length > 0);
    ObjectNode categories = result.putObject("categories");
    ObjectNode scores = result.putObject("category_scores");
    for (String label :
        List.of(
            "sexual",
            "sexual/minors",
            "harassment",
            "harassment/threatening",
            "hate",
            "hate/threatening",
            "illicit",
            "illicit/violent",
            "self-harm",
            "self-harm/intent",
            "self-harm/instructions",
            "violence",
            "violence/graphic")) {
      boolean hit = List.of(flagged).contains(label);
      categories.put(label, hit);
      scores.put(label, hit ? 0.97 : 0.001);
    }
    return okJson(root.toString());
  }

  /** The model list with one model. */
  public static ResponseDefinitionBuilder modelsOk() {
    return okJson("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}");
  }

  private static ObjectNode envelope(String object) {
    return JSON.createObjectNode()
        .put("id", "chatcmpl-test")
        .put("object", object)
        .put("created", 1_700_000_000L)
        .put("model", REPORTED_MODEL);
  }

  private static void event(StringBuilder out, JsonNode data) {
    out.append("data: ").append(data.toString()).append("\n\n");
  }
}
