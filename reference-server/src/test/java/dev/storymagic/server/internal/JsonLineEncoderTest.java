package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;

/**
 * Every line {@link JsonLineEncoder} writes is the JSON logback's {@link JsonEncoder} writes for
 * the same event with the same settings: compared as parsed JSON (the two may escape a character
 * differently, which no reader of the log sees), field order included.
 */
class JsonLineEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoggerContext context = context();
  private final Logger logger = context.getLogger("dev.storymagic.server.access");

  /** The server's settings (logback.xml) and logback's defaults. */
  private static final List<Consumer<JsonEncoder>> SETTINGS =
      List.of(
          e -> {
            e.setWithSequenceNumber(false);
            e.setWithNanoseconds(false);
            e.setWithContext(false);
            e.setWithArguments(false);
            e.setWithFormattedMessage(true);
            e.setWithMessage(false);
          },
          e -> {},
          e -> {
            e.setWithTimestamp(false);
            e.setWithLevel(false);
            e.setWithThreadName(false);
            e.setWithLoggerName(false);
            e.setWithMarkers(false);
            e.setWithMDC(false);
            e.setWithKVPList(false);
            e.setWithThrowable(false);
          });

  @Test
  void writesWhatLogbacksEncoderWritesForEveryKindOfLine() throws Exception {
    List<LoggingEvent> events = events();
    for (Consumer<JsonEncoder> settings : SETTINGS) {
      JsonEncoder logbacks = encoder(new JsonEncoder(), settings);
      JsonLineEncoder ours = encoder(new JsonLineEncoder(), settings);
      for (LoggingEvent event : events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ours.writeLine(event, out)).as(event.getMessage()).isTrue();
        String line = out.toString(StandardCharsets.UTF_8);
        String expected = new String(logbacks.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").hasLineCount(1);
        assertThat(fields(line)).as(event.getMessage()).isEqualTo(fields(expected));
        assertThat(JSON.readTree(line)).as(event.getMessage()).isEqualTo(JSON.readTree(expected));
      }
    }
  }

  @Test
  void linesFollowOneAnotherWholeThroughTheReusedBuffer() throws Exception {
    JsonLineEncoder ours = encoder(new JsonLineEncoder(), SETTINGS.get(0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String longOne = "x".repeat(50_000);
    for (String message : List.of("short", longOne, "short again")) {
      assertThat(ours.writeLine(event(Level.INFO, message), out)).isTrue();
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.stream().map(l -> read(l).get("formattedMessage").asText()))
        .containsExactly("short", longOne, "short again");

    assertThat(ours.writeLine(event(Level.INFO, "y".repeat(200_000)), out)).isTrue();
    assertThat(ours.bufferCapacity())
        .as("a long line's array is not kept for the next")
        .isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void linesWithAThrowableAreLeftToLogback() throws Exception {
    JsonLineEncoder ours = encoder(new JsonLineEncoder(), SETTINGS.get(0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    LoggingEvent failed =
        new LoggingEvent(
            Logger.FQCN, logger, Level.ERROR, "failed", new IllegalStateException("boom"), null);
    assertThat(ours.writeLine(failed, out)).isFalse();
    assertThat(out.size()).as("nothing written").isZero();
    assertThat(read(new String(ours.encode(failed), StandardCharsets.UTF_8)).get("throwable"))
        .as("logback's encoder writes the throwable")
        .isNotNull();

    assertThat(ours.writeLine(event(Level.INFO, "the next line"), out)).isTrue();
    assertThat(read(out.toString(StandardCharsets.UTF_8)).get("formattedMessage").asText())
        .isEqualTo("the next line");
  }

  /**
   * Half of a surrogate pair (which UTF-8 cannot encode; logback writes {@code ?}) reaches the log
   * as an escape that reads back as the string logged; the line stays valid UTF-8.
   */
  @Test
  void halfASurrogatePairIsEscapedAndTheLineStaysUtf8() throws Exception {
    JsonLineEncoder ours = encoder(new JsonLineEncoder(), SETTINGS.get(0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String message = "half a pair: \uD83D, a whole one: 😀, é 物語";

    assertThat(ours.writeLine(event(Level.WARN, message), out)).isTrue();

    String line =
        StandardCharsets.UTF_8
            .newDecoder() // refuses what is not UTF-8
            .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
            .toString();
    assertThat(line).contains("half a pair: \\uD83D,", "é 物語");
    assertThat(read(line).get("formattedMessage").asText()).isEqualTo(message);
  }

  /** The server's appender writes through the encoder: the same lines as logback's encoder. */
  @Test
  void theAppenderWritesItsLinesThroughTheEncoder() throws Exception {
    List<String> written = new ArrayList<>();
    List<LoggingEvent> events = events();
    LoggingEvent failed =
        new LoggingEvent(Logger.FQCN, logger, Level.ERROR, "failed", new Exception("x"), null);
    for (JsonEncoder encoder :
        List.of(
            encoder(new JsonLineEncoder(), SETTINGS.get(0)),
            encoder(new JsonEncoder(), SETTINGS.get(0)))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StdoutAppender stdout = new StdoutAppender();
      stdout.setContext(context);
      stdout.setEncoder(encoder);
      stdout.setImmediateFlush(false);
      stdout.startOn(out);
      for (LoggingEvent event : events) {
        stdout.doAppend(event);
      }
      stdout.doAppend(failed);
      stdout.stop();
      written.add(out.toString(StandardCharsets.UTF_8));
    }
    List<String> ours = written.get(0).lines().toList();
    List<String> logbacks = written.get(1).lines().toList();
    assertThat(ours).hasSameSizeAs(logbacks).hasSize(events.size() + 1);
    for (int i = 0; i < ours.size(); i++) {
      assertThat(read(ours.get(i))).isEqualTo(read(logbacks.get(i)));
    }
  }

  /** Lines as the server makes them, and the values logback writes in its own way. */
  private List<LoggingEvent> events() {
    List<LoggingEvent> events = new ArrayList<>();
    LoggingEvent access = event(Level.INFO, "POST /api/stories 201");
    access.addKeyValuePair(new org.slf4j.event.KeyValuePair("requestId", "3f1c9a"));
    access.addKeyValuePair(new org.slf4j.event.KeyValuePair("status", 201));
    access.addKeyValuePair(new org.slf4j.event.KeyValuePair("durationMs", 1.5));
    access.addKeyValuePair(new org.slf4j.event.KeyValuePair("user", null));
    access.setMDCPropertyMap(
        Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "xray_trace_id", "1-5759e988-bd8"));
    events.add(access);

    LoggingEvent awkward =
        event(
            Level.WARN,
            "quotes \" backslash \\ slash / newline \n tab \t bell \u0007 nul \u0000 é 物語 😀");
    awkward.addKeyValuePair(new org.slf4j.event.KeyValuePair("we\"ird\nkey", "va\\lue\u001f"));
    awkward.addMarker(MarkerFactory.getMarker("AUDIT"));
    events.add(awkward);

    LoggingEvent withArguments =
        new LoggingEvent(
            Logger.FQCN,
            logger,
            Level.DEBUG,
            "{} of {} with {}",
            null,
            new Object[] {3, "seven", null});
    withArguments.setThreadName("storymagic-request-1");
    withArguments.setTimeStamp(1_764_700_000_456L);
    events.add(withArguments);

    LoggingEvent noMessage = event(Level.TRACE, null);
    events.add(noMessage);

    LoggingEvent emptyMdc = event(Level.ERROR, "no MDC at all");
    emptyMdc.setMDCPropertyMap(Map.of());
    events.add(emptyMdc);
    return events;
  }

  private LoggingEvent event(Level level, String message) {
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, null, null);
    event.setThreadName("http-v-1");
    event.setTimeStamp(1_764_700_000_123L);
    return event;
  }

  private <E extends JsonEncoder> E encoder(E encoder, Consumer<JsonEncoder> settings) {
    settings.accept(encoder);
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static List<String> fields(String line) {
    List<String> names = new ArrayList<>();
    read(line).fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setName("storymagic");
    context.putProperty("HOSTNAME", "task-1");
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }
}
