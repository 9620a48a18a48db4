package dev.storymagic.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storymagic.server.internal.AssetOptions;
import dev.storymagic.server.internal.StoryJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A story request body as the reference server reads it for {@code POST /api/stories} (the load
 * test's body: theme, age group, one character, a moral), into the request and its asset options:
 * through a Jackson tree, as before, and in one pass of Jackson's parser ({@code
 * StoryJson.readRequest}, which keeps the tree for bodies that are not plainly valid).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RequestBodyBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestBodyBenchmark {

  /** How the body is read. */
  public enum Reader {
    /** A tree, then the request and the options from it. */
    TREE,
    /** One pass of the parser. */
    ONE_PASS
  }

  @Param public Reader reader;

  private final StoryJson json = new StoryJson();
  private final byte[] body =
      ("{\"theme\":\"space\",\"ageGroup\":\"6-8\",\"characters\":[{\"name\":\"Mia\","
              + "\"description\":\"a curious girl\"}],\"moral\":\"sharing\"}")
          .getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public void read(Blackhole sink) {
    if (reader == Reader.TREE) {
      JsonNode tree = json.requestTree(body);
      sink.consume(json.parseRequest(tree));
      sink.consume(AssetOptions.parse(tree));
    } else {
      sink.consume(json.readRequest(body));
    }
  }
}
