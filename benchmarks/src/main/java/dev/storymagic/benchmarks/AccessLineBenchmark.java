package dev.storymagic.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.storymagic.server.internal.JsonLineEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.event.KeyValuePair;

/**
 * One access line of the reference server (a cached {@code POST /api/stories 201}: seven key-value
 * pairs, the trace ids in the MDC) written into the log writer's buffer, by logback's {@code
 * JsonEncoder} (a string per line, copied into bytes) and by the server's {@code JsonLineEncoder}
 * (the same JSON written by Jackson into a reused buffer), with the server's settings.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AccessLineBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessLineBenchmark {

  /** Who writes the line. */
  public enum Writer {
    /** logback's JsonEncoder: {@code encode} to a new array, then the array into the buffer. */
    LOGBACK,
    /** The server's JsonLineEncoder: straight into the buffer. */
    STORYMAGIC
  }

  @Param public Writer writer;

  private LoggingEvent line;
  private JsonEncoder logback;
  private JsonLineEncoder storyMagic;

  /** The writer's buffer, emptied per line: what the line costs, not the buffer's growth. */
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

  @Setup
  public void setUp() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    logback = configured(new JsonEncoder(), context);
    storyMagic = configured(new JsonLineEncoder(), context);
    Logger access = context.getLogger("dev.storymagic.server.access");
    line = new LoggingEvent(Logger.FQCN, access, Level.INFO, "POST /api/stories 201", null, null);
    line.setThreadName("http-v0");
    line.addKeyValuePair(new KeyValuePair("requestId", "5fa6b73f-2ffd-7f6f-1de3-4cfa70cca2e8"));
    line.addKeyValuePair(new KeyValuePair("method", "POST"));
    line.addKeyValuePair(new KeyValuePair("route", "/api/stories"));
    line.addKeyValuePair(new KeyValuePair("status", 201));
    line.addKeyValuePair(new KeyValuePair("durationMs", 0.4));
    line.addKeyValuePair(new KeyValuePair("user", "1985aec260a1b651"));
    line.addKeyValuePair(new KeyValuePair("cacheTier", "l1"));
    line.setMDCPropertyMap(
        Map.of(
            "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
            "span_id", "00f067aa0ba902b7",
            "xray_trace_id", "1-4bf92f35-77b34da6a3ce929d0e0e4736"));
  }

  /** The server's logback.xml settings. */
  private static <E extends JsonEncoder> E configured(E encoder, LoggerContext context) {
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  @Benchmark
  public int writeLine() throws IOException {
    buffer.reset();
    if (writer == Writer.LOGBACK) {
      buffer.write(logback.encode(line));
    } else if (!storyMagic.writeLine(line, buffer)) {
      throw new IllegalStateException("the line was left to logback's encoder");
    }
    return buffer.size();
  }
}
