package dev.storymagic.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.internal.PromptRenderer;
import dev.storymagic.openai.OpenAiStoryModel;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.Prompt;
import dev.storymagic.spi.PromptTemplates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Chat Completions call, side by side, by three clients against the same in-JVM stub (WireMock
 * answering at once: a 2.4 KB structured-output completion, the same story as prose, or a stream of
 * 77 server-sent events):
 *
 * <ul>
 *   <li>{@code FLOOR}: a hand-written client on the libraries StoryMagic is built on, OkHttp 5 and
 *       Jackson, with nothing else: it writes the same request body, sends it with {@code
 *       execute()}, reads the answer with Jackson and splits it into a title and paragraphs. No
 *       client built on these libraries can do much less.
 *   <li>{@code STORYMAGIC}: {@link OpenAiStoryModel#generate} / {@link OpenAiStoryModel#stream}
 *       called directly (no pipeline, cache or safety filter): request body, bulkhead permit, HTTP
 *       call, error mapping, parsing and validation of the story, cost.
 *   <li>{@code OPENAI_JAVA}: the official {@code com.openai:openai-java} SDK (its OkHttp client,
 *       retries off), then the same split into a title and paragraphs.
 * </ul>
 *
 * <p>Every client sends the same rendered prompt and returns the story's title and paragraphs,
 * which {@link #setUp} checks once. {@code benchmarks/client-table.sh} runs it and writes the
 * side-by-side table (p50, p99, allocation, ratios to the floor) into the benchmarks README.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar OpenAiClientBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar OpenAiClientBenchmark -p shape=STREAMED -p client=FLOOR,STORYMAGIC
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpenAiClientBenchmark {
  /**
   * Server-sent events in a stream before {@code [DONE]}: role, 74 content chunks, finish reason,
   * usage.
   */
  static final int STREAM_EVENTS = 77;

  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who makes the call. */
  public enum Client {
    FLOOR,
    STORYMAGIC,
    OPENAI_JAVA
  }

  /** What the server answers. */
  public enum Shape {
    /** Structured output: {@code response_format} json_schema, the story as a JSON object. */
    STRUCTURED,
    /** The story in the plain-text layout, for servers without structured output. */
    PROSE,
    /** {@code stream: true}: the story in the plain-text layout, chunk by chunk. */
    STREAMED
  }

  @Param public Client client;

  @Param public Shape shape;

  private OpenAiUpstream upstream;
  private String baseUrl;
  private ModelRequest request;
  private int maxTokens;

  private OpenAiStoryModel model;
  private OkHttpClient floor;
  private OpenAIClient openAi;

  @Setup
  public void setUp() {
    setUp(new OpenAiUpstream(0, STREAM_EVENTS));
  }

  /** Sets up against {@code shared}, which {@link #tearDown} then closes. */
  void setUp(OpenAiUpstream shared) {
    upstream = shared;
    baseUrl =
        switch (shape) {
          case STRUCTURED -> upstream.baseUrl(false);
          case PROSE -> upstream.proseBaseUrl();
          case STREAMED -> upstream.baseUrl(true);
        };
    request = modelRequest();
    maxTokens = 2 * request.wordBand().max() + 100;
    switch (client) {
      case FLOOR -> floor = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(55)).build();
      case STORYMAGIC ->
          model =
              OpenAiStoryModel.builder()
                  .apiKey("sk-bench-local")
                  .baseUrl(baseUrl)
                  .model(OpenAiUpstream.MODEL)
                  .structuredOutput(shape == Shape.STRUCTURED)
                  .build();
      case OPENAI_JAVA ->
          openAi =
              OpenAIOkHttpClient.builder()
                  .apiKey("sk-bench-local")
                  .baseUrl(baseUrl)
                  .maxRetries(0)
                  .timeout(Duration.ofSeconds(55))
                  .build();
    }
    Story story = call();
    if (story.paragraphs().size() != upstream.paragraphCount() || story.title().isBlank()) {
      throw new IllegalStateException(
          client
              + " read "
              + story.paragraphs().size()
              + " paragraphs and title '"
              + story.title()
              + "'; the stub sent "
              + upstream.paragraphCount());
    }
    if (shape == Shape.STREAMED && upstream.streamEvents() != STREAM_EVENTS) {
      throw new IllegalStateException("the stub streams " + upstream.streamEvents() + " events");
    }
  }

  @TearDown
  public void tearDown() {
    closeClient();
    upstream.close();
  }

  /** Closes this client, not the stub. */
  void closeClient() {
    if (model != null) {
      model.close();
    }
    if (floor != null) {
      floor.dispatcher().executorService().shutdown();
      floor.connectionPool().evictAll();
    }
    if (openAi != null) {
      openAi.close();
    }
  }

  @Benchmark
  public Story call() {
    return switch (client) {
      case FLOOR -> shape == Shape.STREAMED ? floorStream() : floorPlain();
      case STORYMAGIC -> storyMagic();
      case OPENAI_JAVA -> shape == Shape.STREAMED ? openAiStream() : openAiPlain();
    };
  }

  /** What each client returns: the story's title and paragraphs. */
  public record Story(String title, List<String> paragraphs) {}

  // ------------------------------------------------------------------ StoryMagic

  private Story storyMagic() {
    ModelResponse response =
        shape == Shape.STREAMED ? model.stream(request, DISCARD) : model.generate(request);
    return new Story(response.title(), response.paragraphs());
  }

  private static final ModelStreamListener DISCARD = text -> {};

  // ------------------------------------------------------------------ the floor: OkHttp 5 +
  // Jackson

  private Story floorPlain() {
    Request http =
        new Request.Builder()
            .url(baseUrl + "/chat/completions")
            .header("Authorization", "Bearer sk-bench-local")
            .post(RequestBody.create(floorBody(), JSON_TYPE))
            .build();
    try (Response response = floor.newCall(http).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException("HTTP " + response.code());
      }
      JsonNode root = JSON.readTree(response.body().byteStream());
      String content = root.path("choices").path(0).path("message").path("content").asText();
      return shape == Shape.STRUCTURED ? structured(content) : prose(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Story floorStream() {
    Request http =
        new Request.Builder()
            .url(baseUrl + "/chat/completions")
            .header("Authorization", "Bearer sk-bench-local")
            .header("Accept", "text/event-stream")
            .post(RequestBody.create(floorBody(), JSON_TYPE))
            .build();
    try (Response response = floor.newCall(http).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException("HTTP " + response.code());
      }
      BufferedSource source = response.body().source();
      StringBuilder text = new StringBuilder();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        if (line.equals("data: [DONE]")) {
          break;
        }
        JsonNode content =
            JSON.readTree(line.substring(6)).path("choices").path(0).path("delta").path("content");
        if (content.isTextual()) {
          DISCARD.onDelta(content.asText());
          text.append(content.asText());
        }
      }
      return prose(text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request body StoryMagic sends for this shape, written with Jackson's generator. */
  private byte[] floorBody() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", OpenAiUpstream.MODEL);
      g.writeArrayFieldStart("messages");
      for (ChatMessage m : request.prompt().messages()) {
        g.writeStartObject();
        g.writeStringField("role", m.role().wireName());
        g.writeStringField("content", m.content());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("max_completion_tokens", maxTokens);
      if (shape == Shape.STREAMED) {
        g.writeBooleanField("stream", true);
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      } else if (shape == Shape.STRUCTURED) {
        g.writeFieldName("response_format");
        g.writeTree(RESPONSE_FORMAT);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static final JsonNode RESPONSE_FORMAT =
      JSON.valueToTree(
          Map.of(
              "type",
              "json_schema",
              "json_schema",
              Map.of("name", "children_story", "strict", true, "schema", schema())));

  private static Map<String, Object> schema() {
    return Map.of(
        "type",
        "object",
        "additionalProperties",
        false,
        "required",
        List.of("title", "paragraphs"),
        "properties",
        Map.of(
            "title",
            Map.of("type", "string"),
            "paragraphs",
            Map.of("type", "array", "items", Map.of("type", "string"))));
  }

  // ------------------------------------------------------------------ openai-java

  private ChatCompletionCreateParams.Builder openAiParams() {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(OpenAiUpstream.MODEL)
            .maxCompletionTokens(maxTokens);
    for (ChatMessage m : request.prompt().messages()) {
      if (m.role() == ChatMessage.Role.SYSTEM) {
        params.addSystemMessage(m.content());
      } else {
        params.addUserMessage(m.content());
      }
    }
    return params;
  }

  private Story openAiPlain() {
    ChatCompletionCreateParams.Builder params = openAiParams();
    if (shape == Shape.STRUCTURED) {
      ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema =
          ResponseFormatJsonSchema.JsonSchema.Schema.builder();
      schema().forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
      params.responseFormat(
          ResponseFormatJsonSchema.builder()
              .jsonSchema(
                  ResponseFormatJsonSchema.JsonSchema.builder()
                      .name("children_story")
                      .strict(true)
                      .schema(schema.build())
                      .build())
              .build());
    }
    ChatCompletion completion = openAi.chat().completions().create(params.build());
    String content = completion.choices().get(0).message().content().orElse("");
    return shape == Shape.STRUCTURED ? structured(content) : prose(content);
  }

  private Story openAiStream() {
    ChatCompletionCreateParams params =
        openAiParams()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(params)) {
      stream.stream()
          .forEach(
              chunk -> {
                if (!chunk.choices().isEmpty()) {
                  chunk
                      .choices()
                      .get(0)
                      .delta()
                      .content()
                      .ifPresent(
                          c -> {
                            DISCARD.onDelta(c);
                            text.append(c);
                          });
                }
              });
    }
    return prose(text.toString());
  }

  // ------------------------------------------------------------------ shared by the floor and
  // openai-java

  private static Story structured(String content) throws UncheckedIOException {
    try {
      JsonNode story = JSON.readTree(content);
      List<String> paragraphs = new ArrayList<>();
      story.path("paragraphs").forEach(p -> paragraphs.add(p.asText()));
      return new Story(story.path("title").asText(), paragraphs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plain-text layout: the first line is the title, blank lines separate paragraphs. */
  private static Story prose(String text) {
    int newline = text.indexOf('\n');
    List<String> paragraphs = new ArrayList<>();
    for (String p : text.substring(newline + 1).strip().split("\n\n")) {
      paragraphs.add(p.strip());
    }
    return new Story(text.substring(0, newline).strip(), paragraphs);
  }

  /** The prompt the default templates render for a typical medium story (300 to 550 words). */
  private static ModelRequest modelRequest() {
    StoryRequest story = Requests.typicalBuilder().length(StoryLength.MEDIUM).build();
    Theme theme = ThemeCatalog.defaults().find(story.theme()).orElseThrow();
    var band = story.length().band(story.ageGroup());
    Prompt prompt =
        new PromptRenderer(PromptTemplates.defaults())
            .render(story, theme, band, EnumSet.noneOf(dev.storymagic.SafetyCategory.class));
    return new ModelRequest(prompt, story, theme, band, 7L, 1);
  }
}
