package dev.storymagic.benchmarks;

import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.openai.OpenAiStoryModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
 * The whole pipeline with {@link OpenAiStoryModel} against a local OpenAI-compatible server
 * (WireMock in this JVM) that answers a ~400-word story after {@code delayMs}: {@code PLAIN}
 * through {@link StoryMagic#generate} with structured output, {@code STREAMED} through {@link
 * StoryMagic#stream} with ~100 server-sent chunks. Every call asks with {@code fresh(true)}, so the
 * model is called each time. {@code bareHttp} is the baseline: the same POST to the same stub with
 * plain OkHttp, reading the whole answer and doing nothing else. The summary reports the latency
 * the SDK adds: measured minus the delay, and measured minus the baseline (which also removes
 * WireMock's own cost).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar OpenAiBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar OpenAiBenchmark -p delayMs=0 -p transport=STREAMED
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenAiBenchmark {
  private static final MediaType JSON = MediaType.get("application/json");

  /** How the story comes back from the server. */
  public enum Transport {
    PLAIN,
    STREAMED
  }

  /** The upstream's fixed delay before it answers, in milliseconds. */
  @Param({"0", "50"})
  public int delayMs;

  @Param public Transport transport;

  private OpenAiUpstream upstream;
  private OpenAiStoryModel model;
  private StoryMagic magic;
  private StoryRequest request;
  private OkHttpClient bare;
  private Request bareRequest;

  @Setup
  public void setUp() {
    upstream = new OpenAiUpstream(delayMs);
    boolean streamed = transport == Transport.STREAMED;
    model =
        OpenAiStoryModel.builder()
            .apiKey("sk-bench-local")
            .baseUrl(upstream.baseUrl(streamed))
            .model(OpenAiUpstream.MODEL)
            .build();
    magic = StoryMagic.builder().model(model).build();
    // The story is ~400 words: a medium story for ages 6-8 (300 to 550 words).
    request = Requests.typicalBuilder().length(StoryLength.MEDIUM).fresh(true).build();
    bare = new OkHttpClient();
    bareRequest =
        new Request.Builder()
            .url(upstream.baseUrl(streamed) + "/chat/completions")
            .post(RequestBody.create("{\"model\":\"" + OpenAiUpstream.MODEL + "\"}", JSON))
            .build();
    Story story = generate();
    if (story.paragraphs().size() != upstream.paragraphCount()) {
      throw new IllegalStateException(
          "expected "
              + upstream.paragraphCount()
              + " paragraphs from the stub, got "
              + story.paragraphs().size());
    }
  }

  @TearDown
  public void tearDown() {
    magic.close();
    model.close();
    bare.dispatcher().executorService().shutdown();
    bare.connectionPool().evictAll();
    upstream.close();
  }

  @Benchmark
  public Story generate() {
    return transport == Transport.PLAIN
        ? magic.generate(request)
        : magic.stream(request, Listeners.discarding()).join();
  }

  @Benchmark
  public String bareHttp() {
    try (Response response = bare.newCall(bareRequest).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException("the stub answered HTTP " + response.code());
      }
      return response.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
