package dev.storymagic.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible Chat Completions server on a dynamic local port (WireMock, in process),
 * answering with a realistic ~400-word story after a fixed delay: as a structured-output completion
 * under {@code /plain/v1}, as a prose completion (the plain-text layout, for servers without
 * structured output) under {@code /prose/v1}, and as a stream of server-sent chunks in the
 * plain-text layout under {@code /stream/v1}: about 100 content chunks, or exactly the number of
 * events asked for. Close it to stop the server.
 */
final class OpenAiUpstream implements AutoCloseable {
  static final String MODEL = "gpt-4o-mini";
  private static final String MODEL_VERSION = "gpt-4o-mini-2024-07-18";
  private static final int STREAM_CHUNKS = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The id, object type, creation time and model that head every completion and chunk: one answer
   * to every call, as a recorded one would be.
   */
  private static final ObjectNode ENVELOPE =
      JSON.createObjectNode()
          .put("id", "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT")
          .put("object", "chat.completion")
          .put("created", 1_764_000_000L)
          .put("model", MODEL_VERSION);

  private final WireMockServer server;
  private final String title;
  private final List<String> paragraphs;
  private final int streamEvents;
  private final String completion;

  OpenAiUpstream(int delayMs) {
    this(delayMs, 0);
  }

  /**
   * @param streamEvents the number of {@code data:} events in a stream before {@code [DONE]} (role,
   *     content, finish reason and usage chunks), at least 4; 0 for about {@value #STREAM_CHUNKS}
   *     content chunks
   */
  OpenAiUpstream(int delayMs, int streamEvents) {
    String story = Texts.story();
    int newline = story.indexOf('\n');
    title = story.substring(0, newline).strip();
    paragraphs = List.of(story.substring(newline).strip().split("\\n\\s*\\n"));
    if (streamEvents != 0 && streamEvents < 4) {
      throw new IllegalArgumentException("a stream has at least 4 events: " + streamEvents);
    }
    this.streamEvents = streamEvents;
    completion = completion(structuredContent());
    server =
        new WireMockServer(
            options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .disableRequestJournal()
                .notifier(new ConsoleNotifier(false)));
    server.stubFor(
        post(urlPathEqualTo("/plain/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion)
                    .withFixedDelay(delayMs)));
    server.stubFor(
        post(urlPathEqualTo("/prose/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(proseText()))
                    .withFixedDelay(delayMs)));
    server.stubFor(
        post(urlPathEqualTo("/stream/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(stream())
                    .withFixedDelay(delayMs)));
    server.start();
  }

  /** The base URL for plain (structured output) or streamed answers. */
  String baseUrl(boolean streamed) {
    return "http://127.0.0.1:" + server.port() + (streamed ? "/stream/v1" : "/plain/v1");
  }

  /** The base URL for non-streamed answers in the plain-text layout. */
  String proseBaseUrl() {
    return "http://127.0.0.1:" + server.port() + "/prose/v1";
  }

  /** The size of the structured completion body, in bytes. */
  int completionBytes() {
    return completion.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** The number of {@code data:} events in a stream before {@code [DONE]}. */
  int streamEvents() {
    return stream().split("\n\n").length - 1;
  }

  int paragraphCount() {
    return paragraphs.size();
  }

  @Override
  public void close() {
    server.stop();
  }

  /** The story as structured output: {@code {title, paragraphs}}. */
  private String structuredContent() {
    ObjectNode content = JSON.createObjectNode().put("title", title);
    ArrayNode array = content.putArray("paragraphs");
    paragraphs.forEach(array::add);
    return content.toString();
  }

  /** The story in the plain-text layout: title, blank line, paragraphs. */
  private String proseText() {
    return title + "\n\n" + String.join("\n\n", paragraphs);
  }

  /** A chat completion whose message content is {@code content}. */
  private String completion(String content) {
    ObjectNode root = envelope("chat.completion");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    ObjectNode message =
        choice.putObject("message").put("role", "assistant").put("content", content);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    usage(root);
    root.put("system_fingerprint", "fp_0ba0d124f1");
    return root.toString();
  }

  /**
   * The story in the plain-text layout (title, blank line, paragraphs) as OpenAI streams it: a
   * first chunk with the role, about {@value #STREAM_CHUNKS} content chunks of a few words, a chunk
   * with the finish reason, one with the usage, then {@code [DONE]}.
   */
  private String stream() {
    String text = proseText();
    StringBuilder out = new StringBuilder();
    ObjectNode first = chunk();
    ((ObjectNode) first.withArray("choices").get(0).get("delta"))
        .put("role", "assistant")
        .put("content", "");
    event(out, first);
    for (String piece : streamEvents == 0 ? pieces(text) : pieces(text, streamEvents - 3)) {
      ObjectNode chunk = chunk();
      ((ObjectNode) chunk.withArray("choices").get(0).get("delta")).put("content", piece);
      event(out, chunk);
    }
    ObjectNode last = chunk();
    ((ObjectNode) last.withArray("choices").get(0)).put("finish_reason", "stop");
    event(out, last);
    ObjectNode usage = envelope("chat.completion.chunk");
    usage.putArray("choices");
    usage(usage);
    event(out, usage);
    out.append("data: [DONE]\n\n");
    return out.toString();
  }

  /**
   * Splits {@code text} into about {@value #STREAM_CHUNKS} pieces at word boundaries, keeping every
   * character.
   */
  private static List<String> pieces(String text) {
    int target = Math.max(1, text.length() / STREAM_CHUNKS);
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + target);
      while (end < text.length() && text.charAt(end) != ' ' && text.charAt(end) != '\n') {
        end++;
      }
      pieces.add(text.substring(start, end));
      start = end;
    }
    return pieces;
  }

  /**
   * Splits {@code text} into exactly {@code count} pieces of about equal length at word boundaries.
   */
  private static List<String> pieces(String text, int count) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == ' ' || text.charAt(i) == '\n') {
        cuts.add(i);
      }
    }
    if (cuts.size() < count - 1) {
      throw new IllegalArgumentException("the story has too few words for " + count + " pieces");
    }
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int p = 1; p < count; p++) {
      int end = cuts.get((int) ((long) p * cuts.size() / count));
      pieces.add(text.substring(start, end));
      start = end;
    }
    pieces.add(text.substring(start));
    return pieces;
  }

  private ObjectNode chunk() {
    ObjectNode chunk = envelope("chat.completion.chunk");
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return chunk;
  }

  /** The completion or chunk {@code object}, under the header every answer here shares. */
  private static ObjectNode envelope(String object) {
    return ENVELOPE.deepCopy().put("object", object);
  }

  private static void usage(ObjectNode root) {
    root.putObject("usage")
        .put("prompt_tokens", 431)
        .put("completion_tokens", 528)
        .put("total_tokens", 959);
  }

  private static void event(StringBuilder out, ObjectNode data) {
    out.append("data: ").append(data.toString()).append("\n\n");
  }
}
