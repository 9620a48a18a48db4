package dev.storymagic.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.micrometer.core.instrument.noop.NoopDistributionSummary;
import io.micrometer.core.instrument.noop.NoopFunctionCounter;
import io.micrometer.core.instrument.noop.NoopFunctionTimer;
import io.micrometer.core.instrument.noop.NoopGauge;
import io.micrometer.core.instrument.noop.NoopLongTaskTimer;
import io.micrometer.core.instrument.noop.NoopMeter;
import io.micrometer.core.instrument.noop.NoopTimer;
import io.micrometer.core.instrument.push.PushMeterRegistry;
import io.micrometer.core.instrument.push.PushRegistryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Writes the operations handbook's custom metrics as CloudWatch Embedded Metric Format lines
 * (namespace {@code StoryMagic}), for the ECS awslogs driver to turn into CloudWatch metrics.
 *
 * <p>Every timer observation is kept (not averaged): observations are buffered per metric and
 * dimension values and written as an array of up to 100 values per line, so CloudWatch's
 * SampleCount, percentiles and Sum stay exact. Counters are summed between writes. Buffers are
 * written when full (by the thread whose observation filled them), every {@code flushInterval} (by
 * {@link PushMeterRegistry}'s publishing thread) and on {@link #close()}. Each metric is published
 * under its handbook dimensions and without dimensions (the alarms use the latter). Meters not in
 * the handbook are ignored here; Prometheus has them all. The meters are Micrometer's cumulative
 * ones, so {@code count()}, {@code totalTime()} and {@code max()} read as anywhere else.
 */
public final class EmfMeterRegistry extends PushMeterRegistry {
  public static final String NAMESPACE = "StoryMagic";

  /** The EMF limit of values in one metric's array. */
  static final int MAX_VALUES_PER_LINE = 100;

  /** How one meter name becomes an EMF metric. */
  record Definition(String name, String unit, List<String> dimensions, double nanosPerUnit) {}

  static final Map<String, Definition> DEFINITIONS =
      Map.of(
          "story_generation_time",
              new Definition(
                  "story_generation_time", "Seconds", List.of("theme", "age_group"), 1e9),
          "api_response_time",
              new Definition(
                  "api_response_time", "Milliseconds", List.of("endpoint", "method"), 1e6),
          "content_safety_violations",
              new Definition("content_safety_violations", "Count", List.of("violation_type"), 0),
          "story_generation_timeouts",
              new Definition("story_generation_timeouts", "Count", List.of("model"), 0),
          "story_cache_requests",
              new Definition("story_cache_requests", "Count", List.of("tier", "result"), 0),
          // Database and Redis: duration per statement name, failures; see sdk-store's DbTelemetry.
          "db.client.operation.duration",
              new Definition(
                  "db_query_time", "Milliseconds", List.of("db.system.name", "statement"), 1e6),
          "db.client.errors",
              new Definition(
                  "db_query_errors", "Count", List.of("db.system.name", "statement"), 0));

  /** Gauges, read at every write: the connection pool, whose pending connections have an alarm. */
  static final Map<String, Definition> GAUGES =
      Map.of(
          "hikaricp.connections.pending",
              new Definition("hikaricp_connections_pending", "Count", List.of("pool"), 0),
          "hikaricp.connections.active",
              new Definition("hikaricp_connections_active", "Count", List.of("pool"), 0),
          "hikaricp.connections.idle",
              new Definition("hikaricp_connections_idle", "Count", List.of("pool"), 0));

  private record Key(Definition definition, List<String> dimensionValues) {}

  /**
   * One metric under one set of dimension values: the observations (timers) or the sum (counters)
   * since its last line. Resolved once per meter when the meter is made, so recording looks nothing
   * up and builds no key; each series has its own lock, so meters do not wait for one another.
   */
  private static final class Series {
    final Key key;
    private double[] values;
    private int size;
    private double sum;

    Series(Key key) {
      this.key = key;
    }

    /**
     * Adds one observation; returns the full buffer when this one filled it (its line is then the
     * caller's).
     */
    synchronized double[] add(double value) {
      if (values == null) {
        values = new double[MAX_VALUES_PER_LINE];
      }
      values[size++] = value;
      if (size < MAX_VALUES_PER_LINE) {
        return null;
      }
      double[] full = values;
      values = new double[MAX_VALUES_PER_LINE];
      size = 0;
      return full;
    }

    synchronized void count(double amount) {
      sum += amount;
    }

    /** The observations since the last line, or null; the buffer starts again. */
    synchronized double[] takeValues() {
      if (size == 0) {
        return null;
      }
      double[] taken = java.util.Arrays.copyOf(values, size);
      size = 0;
      return taken;
    }

    synchronized double takeSum() {
      double taken = sum;
      sum = 0;
      return taken;
    }
  }

  private final Consumer<String> sink;
  private final Duration flushInterval;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * Every series a meter of this registry writes to (bounded: one per handbook metric and dimension
   * values).
   */
  private final Map<Key, Series> series = new java.util.concurrent.ConcurrentHashMap<>();

  private final List<Gauge> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();

  public EmfMeterRegistry(Consumer<String> sink, Duration flushInterval, Clock clock) {
    super(config(flushInterval), clock);
    this.sink = sink;
    this.flushInterval = flushInterval;
    start(
        r -> {
          Thread t = new Thread(r, "emf-flush");
          t.setDaemon(true);
          return t;
        });
  }

  private static PushRegistryConfig config(Duration flushInterval) {
    return new PushRegistryConfig() {
      @Override
      public String prefix() {
        return "emf";
      }

      @Override
      public String get(String key) {
        return null; // every setting from the defaults, the step from the server's configuration
      }

      @Override
      public Duration step() {
        return flushInterval;
      }
    };
  }

  /** Writes everything buffered. */
  public void flush() {
    publish();
  }

  /** Called every {@code flushInterval} and once more by {@link #close()}. */
  @Override
  protected void publish() {
    List<String> lines = new ArrayList<>();
    for (Series s : series.values()) {
      double[] values = s.takeValues();
      if (values != null) {
        lines.add(line(s.key, values));
      }
    }
    for (Series s : series.values()) {
      double sum = s.takeSum();
      if (sum > 0) {
        lines.add(line(s.key, sum));
      }
    }
    for (Gauge gauge : gauges) {
      double value = gauge.value();
      if (!Double.isNaN(value)) {
        Definition d = GAUGES.get(gauge.getId().getName());
        lines.add(line(new Key(d, dimensionValues(gauge.getId(), d)), value));
      }
    }
    lines.forEach(sink);
  }

  /** The series {@code id} writes to. */
  private Series seriesOf(Meter.Id id) {
    Definition d = DEFINITIONS.get(id.getName());
    return series.computeIfAbsent(new Key(d, dimensionValues(id, d)), Series::new);
  }

  private void observe(Series s, double value) {
    double[] full = s.add(value);
    if (full != null) {
      // Outside the series' lock: one line per hundred observations, and other recorders never wait
      // for it.
      sink.accept(line(s.key, full));
    }
  }

  private static List<String> dimensionValues(Meter.Id id, Definition d) {
    List<String> values = new ArrayList<>(d.dimensions().size());
    for (String dimension : d.dimensions()) {
      String v = id.getTag(dimension);
      values.add(v == null || v.isEmpty() ? "none" : v);
    }
    return List.copyOf(values);
  }

  private String line(Key key, Object value) {
    Definition d = key.definition();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", clock.wallTime());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensionSets = directive.putArray("Dimensions");
    ArrayNode full = dimensionSets.addArray();
    d.dimensions().forEach(full::add);
    dimensionSets.addArray();
    directive.putArray("Metrics").addObject().put("Name", d.name()).put("Unit", d.unit());
    for (int i = 0; i < d.dimensions().size(); i++) {
      root.put(d.dimensions().get(i), key.dimensionValues().get(i));
    }
    if (value instanceof double[] list) {
      ArrayNode values = root.putArray(d.name());
      for (double v : list) {
        values.add(v);
      }
    } else {
      root.put(d.name(), (Double) value);
    }
    return root.toString();
  }

  // ------------------------------------------------------------------ meters

  /**
   * Micrometer's cumulative timer (count, total, max of the recent interval); each observation also
   * buffered.
   */
  private final class EmfTimer extends CumulativeTimer {
    private final double nanosPerUnit;
    private final Series series;

    EmfTimer(
        Meter.Id id,
        DistributionStatisticConfig config,
        PauseDetector pauseDetector,
        double nanosPerUnit) {
      super(id, EmfMeterRegistry.this.clock, config, pauseDetector, TimeUnit.SECONDS, false);
      this.nanosPerUnit = nanosPerUnit;
      this.series = seriesOf(id);
    }

    @Override
    protected void recordNonNegative(long amount, TimeUnit unit) {
      super.recordNonNegative(amount, unit);
      observe(series, unit.toNanos(amount) / nanosPerUnit);
    }
  }

  /** Micrometer's cumulative counter; each increment also summed for the next line. */
  private final class EmfCounter extends CumulativeCounter {
    private final Series series;

    EmfCounter(Meter.Id id) {
      super(id);
      this.series = seriesOf(id);
    }

    @Override
    public void increment(double amount) {
      if (amount > 0) {
        super.increment(amount);
        series.count(amount);
      }
    }
  }

  private static boolean published(Meter.Id id, Meter.Type type) {
    Definition d = DEFINITIONS.get(id.getName());
    return d != null && (type == Meter.Type.TIMER) == (d.nanosPerUnit() > 0);
  }

  @Override
  protected Timer newTimer(
      Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
    return published(id, Meter.Type.TIMER)
        // Every value is written, so CloudWatch computes the percentiles: none are kept here (a
        // timer
        // that asks for client-side percentiles, as the database timer does, would need a
        // precision).
        ? new EmfTimer(
            id,
            withoutPercentiles(config),
            pauseDetector,
            DEFINITIONS.get(id.getName()).nanosPerUnit())
        : new NoopTimer(id);
  }

  /** {@code config} with its expiry (for max()) but no client-side percentiles or histogram. */
  private static DistributionStatisticConfig withoutPercentiles(
      DistributionStatisticConfig config) {
    return DistributionStatisticConfig.builder()
        .percentiles()
        .percentilesHistogram(false)
        .serviceLevelObjectives()
        .build()
        .merge(config);
  }

  @Override
  protected Counter newCounter(Meter.Id id) {
    return published(id, Meter.Type.COUNTER) ? new EmfCounter(id) : new NoopCounter(id);
  }

  @Override
  protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
    if (!GAUGES.containsKey(id.getName())) {
      return new NoopGauge(id);
    }
    Gauge gauge = new io.micrometer.core.instrument.internal.DefaultGauge<>(id, obj, valueFunction);
    gauges.add(gauge);
    return gauge;
  }

  @Override
  protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
    return new NoopLongTaskTimer(id);
  }

  @Override
  protected DistributionSummary newDistributionSummary(
      Meter.Id id, DistributionStatisticConfig config, double scale) {
    return new NoopDistributionSummary(id);
  }

  @Override
  protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
    return new NoopMeter(id);
  }

  @Override
  protected <T> FunctionTimer newFunctionTimer(
      Meter.Id id,
      T obj,
      ToLongFunction<T> countFunction,
      ToDoubleFunction<T> totalTimeFunction,
      TimeUnit totalTimeFunctionUnit) {
    return new NoopFunctionTimer(id);
  }

  @Override
  protected <T> FunctionCounter newFunctionCounter(
      Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
    return new NoopFunctionCounter(id);
  }

  @Override
  protected TimeUnit getBaseTimeUnit() {
    return TimeUnit.SECONDS;
  }

  @Override
  protected DistributionStatisticConfig defaultHistogramConfig() {
    // max() covers about the last flush interval, as in Micrometer's step registries.
    return DistributionStatisticConfig.builder()
        .expiry(flushInterval)
        .build()
        .merge(DistributionStatisticConfig.DEFAULT);
  }
}
