package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storymagic.server.internal.EmfMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {
  final List<String> lines = new CopyOnWriteArrayList<>();

  EmfMeterRegistry registry() {
    return new EmfMeterRegistry(lines::add, Duration.ofHours(1), Clock.SYSTEM);
  }

  static JsonNode json(String line) throws Exception {
    return Http.JSON.readTree(line);
  }

  @Test
  void timerObservationsAreWrittenAsValueArraysWithTheSeedDimensionsAndUnits() throws Exception {
    EmfMeterRegistry registry = registry();
    Timer t =
        Timer.builder("story_generation_time")
            .tags("theme", "space", "age_group", "6-8", "outcome", "success", "cache", "none")
            .register(registry);
    t.record(1500, TimeUnit.MILLISECONDS);
    t.record(250, TimeUnit.MILLISECONDS);
    registry.close();
    assertThat(lines).hasSize(1);
    assertThat(EmfSpec.violations(lines.get(0))).isEmpty();
    JsonNode line = json(lines.get(0));
    JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(directive.get("Namespace").asText()).isEqualTo("StoryMagic");
    assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"theme\",\"age_group\"],[]]");
    assertThat(directive.get("Metrics").get(0).get("Unit").asText()).isEqualTo("Seconds");
    assertThat(line.get("theme").asText()).isEqualTo("space");
    assertThat(line.get("age_group").asText()).isEqualTo("6-8");
    assertThat(line.get("story_generation_time").toString()).isEqualTo("[1.5,0.25]");
    assertThat(line.has("outcome")).as("only the alarms' dimensions are published").isFalse();
  }

  @Test
  void timersReportCountTotalAndMaxOfTheRecentInterval() {
    MockClock clock = new MockClock();
    EmfMeterRegistry registry = new EmfMeterRegistry(lines::add, Duration.ofMinutes(1), clock);
    Timer t =
        Timer.builder("story_generation_time")
            .tags("theme", "space", "age_group", "6-8")
            .register(registry);
    t.record(1500, TimeUnit.MILLISECONDS);
    t.record(250, TimeUnit.MILLISECONDS);

    assertThat(t.count()).isEqualTo(2);
    assertThat(t.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1750.0);
    assertThat(t.max(TimeUnit.SECONDS)).isEqualTo(1.5);

    // The max is of the recent observations: a few flush intervals later it has rolled out.
    clock.add(Duration.ofMinutes(4));
    assertThat(t.max(TimeUnit.SECONDS)).isZero();
    t.record(400, TimeUnit.MILLISECONDS);
    assertThat(t.max(TimeUnit.MILLISECONDS)).isEqualTo(400.0);
    assertThat(t.count()).isEqualTo(3);
    registry.close();
  }

  @Test
  void counterReadsItsTotalAndAClosedRegistryWritesWhatIsLeft() throws Exception {
    EmfMeterRegistry registry = registry();
    Counter c =
        Counter.builder("story_cache_requests")
            .tags("tier", "l1", "result", "hit")
            .register(registry);
    c.increment();
    c.increment(4);
    c.increment(-1); // ignored, as a counter only grows
    assertThat(c.count()).isEqualTo(5.0);
    assertThat(lines).isEmpty();
    registry.close();
    assertThat(lines).hasSize(1);
    assertThat(json(lines.get(0)).get("story_cache_requests").asDouble()).isEqualTo(5.0);
  }

  @Test
  void aFullBufferOfOneHundredValuesIsWrittenAtOnce() {
    EmfMeterRegistry registry = registry();
    Timer t =
        Timer.builder("api_response_time")
            .tags("endpoint", "/api/stories", "method", "GET", "status", "200")
            .register(registry);
    for (int i = 0; i < 250; i++) {
      t.record(3, TimeUnit.MILLISECONDS);
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> lines.size() == 2);
    registry.close();
    assertThat(lines).hasSize(3);
    lines.forEach(l -> assertThat(EmfSpec.violations(l)).as(l).isEmpty());
    assertThat(lines).allMatch(l -> l.contains("\"Unit\":\"Milliseconds\""));
  }

  @Test
  void countersAreSummedPerDimensionValues() throws Exception {
    EmfMeterRegistry registry = registry();
    Counter.builder("content_safety_violations")
        .tags("violation_type", "violence", "stage", "input")
        .register(registry)
        .increment();
    Counter.builder("content_safety_violations")
        .tags("violation_type", "violence", "stage", "output")
        .register(registry)
        .increment(2);
    Counter.builder("story_generation_timeouts")
        .tag("model", "openai:gpt-4o-mini")
        .register(registry)
        .increment();
    Counter.builder("unrelated_counter").register(registry).increment();
    registry.flush();
    assertThat(lines).hasSize(2);
    lines.forEach(l -> assertThat(EmfSpec.violations(l)).as(l).isEmpty());
    JsonNode violations =
        json(lines.stream().filter(l -> l.contains("violation_type")).findFirst().orElseThrow());
    assertThat(violations.get("content_safety_violations").asDouble()).isEqualTo(3.0);
    assertThat(violations.get("violation_type").asText()).isEqualTo("violence");
    registry.close();
  }

  @Test
  void databaseQueryTimesAndPoolGaugesAreWritten() throws Exception {
    EmfMeterRegistry registry = registry();
    Timer.builder("db.client.operation.duration")
        .tags(
            "db.system.name",
            "postgresql",
            "db.operation.name",
            "SELECT",
            "statement",
            "story.find",
            "outcome",
            "success")
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry)
        .record(4, TimeUnit.MILLISECONDS);
    java.util.concurrent.atomic.AtomicInteger pending =
        new java.util.concurrent.atomic.AtomicInteger(7);
    io.micrometer.core.instrument.Gauge.builder(
            "hikaricp.connections.pending", pending, p -> p.get())
        .tag("pool", "storymagic-store")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("unrelated.gauge", () -> 1).register(registry);
    registry.flush();
    lines.forEach(l -> assertThat(EmfSpec.violations(l)).as(l).isEmpty());
    JsonNode query =
        json(lines.stream().filter(l -> l.contains("db_query_time")).findFirst().orElseThrow());
    assertThat(query.get("db_query_time").toString()).isEqualTo("[4.0]");
    assertThat(query.get("statement").asText()).isEqualTo("story.find");
    JsonNode pool =
        json(
            lines.stream()
                .filter(l -> l.contains("hikaricp_connections_pending"))
                .findFirst()
                .orElseThrow());
    assertThat(pool.get("hikaricp_connections_pending").asDouble()).isEqualTo(7.0);
    assertThat(pool.get("pool").asText()).isEqualTo("storymagic-store");
    assertThat(lines).hasSize(2);
    registry.close();
  }

  @Test
  void theSpecificationCheckRejectsMalformedLines() {
    assertThat(EmfSpec.violations("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]}}"))
        .isNotEmpty();
    assertThat(
            EmfSpec.violations(
                "{\"_aws\":{\"Timestamp\":1795586296817,\"CloudWatchMetrics\":[{\"Namespace\":\"S\","
                    + "\"Dimensions\":[[\"theme\"]],\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Parsecs\"}]}]},\"m\":\"x\"}"))
        .anyMatch(p -> p.contains("theme"))
        .anyMatch(p -> p.contains("Unit"))
        .anyMatch(p -> p.contains("number"));
  }
}
