package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.util.List;
import net.logstash.logback.encoder.com.lmax.disruptor.SleepingWaitStrategy;
import org.junit.jupiter.api.Test;

/** The access log's ring: what it keeps under pressure, and the production configuration of it. */
class TracedAsyncAppenderTest {

  @Test
  void belowTheThresholdAccessLinesAreDroppedAndWarningsAndErrorsKept() {
    // More places than the ring has: every line finds fewer free places than the threshold.
    Ring ring = new Ring(8, 9, null);

    ring.access.debug("debug line");
    ring.access.info("access line");
    ring.access.warn("warning line");
    ring.access.error("error line");

    assertThat(ring.drained()).containsExactly("warning line", "error line");
  }

  @Test
  void withoutAThresholdEveryLineIsWrittenInOrder() {
    Ring ring = new Ring(TracedAsyncAppender.DEFAULT_RING_BUFFER_SIZE, 0, null);

    for (int i = 0; i < 1_000; i++) {
      ring.access.info("line {}", i);
    }

    List<String> lines = ring.drained();
    assertThat(lines).hasSize(1_000);
    assertThat(lines.get(999)).isEqualTo("line 999");
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(() -> new TracedAsyncAppender().setDiscardingThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discardingThreshold");
  }

  @Test
  void theKeptLoggersLinesAreNotDroppedBelowTheThreshold() {
    Ring ring = new Ring(8, 9, "dev.storymagic.emf");

    ring.access.info("access line");
    ring.metrics.info("{\"_aws\":{}}");

    assertThat(ring.drained()).containsExactly("{\"_aws\":{}}");
  }

  /**
   * A ring of {@code size} places with the given threshold and kept logger, draining into {@code
   * out}; the access log's and the metric documents' loggers write to it.
   */
  private static final class Ring {
    final TracedAsyncAppender ring = new TracedAsyncAppender();
    final Logger access;
    final Logger metrics;
    private final ListAppender<ILoggingEvent> list;

    Ring(
        LoggerContext context,
        int size,
        int discardingThreshold,
        String keptLogger,
        Appender<ILoggingEvent> out) {
      this.list = out instanceof ListAppender<ILoggingEvent> l ? l : null;
      ring.setContext(context);
      ring.setRingBufferSize(size);
      ring.setDiscardingThreshold(discardingThreshold);
      ring.setKeptLogger(keptLogger);
      ring.addAppender(out);
      ring.start();
      access = context.getLogger("dev.storymagic.server.access");
      metrics = context.getLogger("dev.storymagic.emf");
      for (Logger logger : List.of(access, metrics)) {
        logger.setAdditive(false);
        logger.addAppender(ring);
      }
    }

    /** A ring that drains into a list. */
    Ring(int size, int discardingThreshold, String keptLogger) {
      this(context(), size, discardingThreshold, keptLogger, startedList());
    }

    private static ListAppender<ILoggingEvent> startedList() {
      ListAppender<ILoggingEvent> list = new ListAppender<>();
      list.start();
      return list;
    }

    /** Stops the ring, which drains it, and gives the messages that reached the list. */
    List<String> drained() {
      ring.stop();
      return list.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /**
   * Lines reach standard output through one buffer the ring's writer flushes per batch: fewer
   * writes than lines, every line whole, the metric documents as their message alone.
   */
  @Test
  void linesAreWrittenInBatchesAndMetricDocumentsAsTheirMessage() {
    LoggerContext context = context();
    CountingStream written = new CountingStream();
    StdoutAppender stdout =
        stdout(context, new ch.qos.logback.classic.encoder.PatternLayoutEncoder());
    stdout.setImmediateFlush(false);
    stdout.setRawLogger("dev.storymagic.emf");
    stdout.startOn(new java.io.BufferedOutputStream(written, 64 * 1024));
    Ring ring = new Ring(context, TracedAsyncAppender.DEFAULT_RING_BUFFER_SIZE, 0, null, stdout);

    for (int i = 0; i < 1_000; i++) {
      ring.access.info("line {}", i);
    }
    ring.metrics.info("{\"_aws\":{\"Timestamp\":1}}");
    ring.ring.stop();

    List<String> lines = written.text().lines().toList();
    assertThat(lines).hasSize(1_001);
    assertThat(lines.get(999)).isEqualTo("INFO line 999");
    assertThat(lines.get(1_000)).isEqualTo("{\"_aws\":{\"Timestamp\":1}}");
    assertThat(written.writes).as("writes for 1,001 lines").isLessThan(1_000);
  }

  /**
   * The start-up warm-up holds the output back: lines below ERROR are encoded (the path the warm-up
   * compiles) and dropped, errors still written; a line made before the release stays dropped even
   * when the ring's writer reaches it after.
   */
  @Test
  void heldBackLinesBelowErrorAreEncodedAndDroppedUntilReleased() {
    LoggerContext context = context();
    CountingStream written = new CountingStream();
    java.util.concurrent.atomic.AtomicInteger encoded =
        new java.util.concurrent.atomic.AtomicInteger();
    StdoutAppender stdout =
        stdout(
            context,
            new ch.qos.logback.classic.encoder.PatternLayoutEncoder() {
              @Override
              public byte[] encode(ILoggingEvent event) {
                encoded.incrementAndGet();
                return super.encode(event);
              }
            });
    stdout.startOn(written);
    Ring ring = new Ring(context, TracedAsyncAppender.DEFAULT_RING_BUFFER_SIZE, 0, null, stdout);

    assertThat(StdoutAppender.attachedTo(ring.access))
        .as("found behind the ring")
        .containsExactly(stdout);
    stdout.holdBack();
    ring.access.info("the copy's access line");
    ring.access.warn("the copy's warning");
    ring.access.error("the copy's error");
    ring.access.info("made just before the release");
    stdout.release();
    ring.access.info("the server's first line");
    ring.ring.stop();

    assertThat(written.text().lines().toList())
        .containsExactly("ERROR the copy's error", "INFO the server's first line");
    assertThat(encoded).hasValue(5);
  }

  /**
   * A warm-up that fails releases the output twice (once to log why, once on the way out): the
   * second release drops nothing made after the first.
   */
  @Test
  void aSecondReleaseDropsNothingMadeAfterTheFirst() {
    LoggerContext context = context();
    CountingStream written = new CountingStream();
    StdoutAppender stdout =
        stdout(context, new ch.qos.logback.classic.encoder.PatternLayoutEncoder());
    stdout.startOn(written);
    Logger logger = context.getLogger("dev.storymagic.server.ServerWarmUp");

    stdout.holdBack();
    ch.qos.logback.classic.spi.LoggingEvent held =
        event(logger, ch.qos.logback.classic.Level.INFO, "the copy's line");
    held.setInstant(java.time.Instant.now().minusSeconds(1));
    stdout.release();
    ch.qos.logback.classic.spi.LoggingEvent between =
        event(logger, ch.qos.logback.classic.Level.WARN, "warm-up stopped early");
    stdout.release();
    stdout.doAppend(held); // the ring's writer reaches both lines only now
    stdout.doAppend(between);
    stdout.stop();

    assertThat(written.text().lines().toList()).containsExactly("WARN warm-up stopped early");
  }

  private static ch.qos.logback.classic.spi.LoggingEvent event(
      Logger logger, ch.qos.logback.classic.Level level, String message) {
    return new ch.qos.logback.classic.spi.LoggingEvent(
        Logger.FQCN, logger, level, message, null, null);
  }

  /**
   * An output appender (not started) writing each line as {@code %level %msg}, with {@code
   * encoder}, started here.
   */
  private static StdoutAppender stdout(
      LoggerContext context, ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder) {
    encoder.setContext(context);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    StdoutAppender stdout = new StdoutAppender();
    stdout.setContext(context);
    stdout.setEncoder(encoder);
    return stdout;
  }

  /** A logging context of its own, as the server's configuration makes one. */
  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    return context;
  }

  /** Counts the writes that reach it, as standard output would see them. */
  private static final class CountingStream extends java.io.OutputStream {
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int writes;

    @Override
    public synchronized void write(int b) {
      writes++;
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      bytes.write(b, off, len);
    }

    synchronized String text() {
      return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void theProductionConfigurationWritesThroughTheRingWithoutWakingItsWriterPerLine()
      throws Exception {
    LoggerContext context = context();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL production = TracedAsyncAppender.class.getResource("/logback.xml");
    assertThat(production).as("the server's logback.xml on the classpath").isNotNull();
    configurator.doConfigure(production);
    try {
      TracedAsyncAppender ring =
          (TracedAsyncAppender)
              context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC_STDOUT");
      assertThat(ring).as("the root logger's asynchronous appender").isNotNull();
      assertThat(ring.isStarted()).isTrue();
      assertThat(ring.getRingBufferSize()).isEqualTo(8192);
      assertThat(ring.getDiscardingThreshold()).isEqualTo(1638);
      assertThat(ring.getWaitStrategy()).isInstanceOf(SleepingWaitStrategy.class);
      assertThat(context.getLogger("dev.storymagic.emf").getAppender("ASYNC_STDOUT"))
          .as("the metric documents go through the same ring")
          .isSameAs(ring);
      StdoutAppender stdout = (StdoutAppender) ring.getAppender("STDOUT");
      assertThat(stdout.isImmediateFlush()).as("flushed per batch, not per line").isFalse();
      assertThat(stdout.getEncoder())
          .as("lines written into the buffer, not built as strings")
          .isInstanceOf(JsonLineEncoder.class);
      assertThat(List.of(ring.iteratorForAppenders().next().getName())).containsExactly("STDOUT");
    } finally {
      context.stop();
    }
  }
}
