package dev.storymagic.benchmarks;

import dev.storymagic.Story;
import dev.storymagic.store.PostgresConfig;
import dev.storymagic.store.PostgresStoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link PostgresStoryStore} against the local PostgreSQL (127.0.0.1:5432, database {@code test},
 * user {@code postgres}): saving a typical story under a new id, and finding one of 1,000 stored
 * stories by owner and id. Works in its own schema, dropped in teardown; fails at once if
 * PostgreSQL is down.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PostgresStoreBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresStoreBenchmark {
  private static final int STORED = 1_000;
  private static final String OWNER = "bench-owner";

  private String schema;
  private PostgresStoryStore store;
  private Story base;
  private final List<String> ids = new ArrayList<>();
  private int next;

  @Setup
  public void setUp() {
    LocalServices.requirePostgres("PostgresStoreBenchmark");
    schema = LocalServices.uniqueName("bench");
    store =
        PostgresStoryStore.create(
            PostgresConfig.builder()
                .jdbcUrl(LocalServices.POSTGRES_URL)
                .user(LocalServices.POSTGRES_USER)
                .schema(schema)
                .build());
    base = Stories.typical();
    for (int i = 0; i < STORED; i++) {
      ids.add(store.save(Stories.copyFor(base, OWNER)).id());
    }
    if (store.find(OWNER, ids.get(0)).isEmpty()) {
      throw new IllegalStateException("a saved story was not found again");
    }
  }

  @TearDown
  public void tearDown() {
    try {
      store.close();
    } finally {
      LocalServices.dropSchema(schema);
    }
  }

  /**
   * Saves a new story; the copy is made in the benchmark, as the pipeline makes one per request.
   */
  @Benchmark
  public Story save() {
    return store.save(Stories.copyFor(base, OWNER));
  }

  @Benchmark
  public Optional<Story> getById() {
    String id = ids.get(next);
    next = next + 1 == STORED ? 0 : next + 1;
    return store.find(OWNER, id);
  }
}
