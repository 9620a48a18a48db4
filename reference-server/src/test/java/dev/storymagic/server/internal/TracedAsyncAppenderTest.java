package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.util.List;
import net.logstash.logback.encoder.com.lmax.disruptor.SleepingWaitStrategy;
import org.junit.jupiter.api.Test;

/** The access log's ring: what it keeps under pressure, and the production configuration of it. */
class TracedAsyncAppenderTest {

  @Test
  void belowTheThresholdAccessLinesAreDroppedAndWarningsAndErrorsKept() {
    LoggerContext context = context();
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(context);
    list.start();
    TracedAsyncAppender ring = new TracedAsyncAppender();
    ring.setContext(context);
    ring.setRingBufferSize(8);
    // More than the ring holds: every line finds fewer free places than the threshold.
    ring.setDiscardingThreshold(9);
    ring.addAppender(list);
    ring.start();
    Logger logger = context.getLogger("dev.storymagic.server.access");
    logger.setAdditive(false);
    logger.addAppender(ring);

    logger.debug("debug line");
    logger.info("access line");
    logger.warn("warning line");
    logger.error("error line");
    ring.stop(); // drains the ring

    assertThat(list.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("warning line", "error line");
  }

  @Test
  void withoutAThresholdEveryLineIsWrittenInOrder() {
    LoggerContext context = context();
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(context);
    list.start();
    TracedAsyncAppender ring = new TracedAsyncAppender();
    ring.setContext(context);
    ring.addAppender(list);
    ring.start();
    Logger logger = context.getLogger("dev.storymagic.server.access");
    logger.setAdditive(false);
    logger.addAppender(ring);

    for (int i = 0; i < 1_000; i++) {
      logger.info("line {}", i);
    }
    ring.stop();

    assertThat(list.list).hasSize(1_000);
    assertThat(list.list.get(999).getFormattedMessage()).isEqualTo("line 999");
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(() -> new TracedAsyncAppender().setDiscardingThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discardingThreshold");
  }

  @Test
  void theKeptLoggersLinesAreNotDroppedBelowTheThreshold() {
    LoggerContext context = context();
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(context);
    list.start();
    TracedAsyncAppender ring = new TracedAsyncAppender();
    ring.setContext(context);
    ring.setRingBufferSize(8);
    ring.setDiscardingThreshold(9);
    ring.setKeptLogger("dev.storymagic.emf");
    ring.addAppender(list);
    ring.start();
    Logger access = context.getLogger("dev.storymagic.server.access");
    Logger metrics = context.getLogger("dev.storymagic.emf");
    for (Logger logger : List.of(access, metrics)) {
      logger.setAdditive(false);
      logger.addAppender(ring);
    }

    access.info("access line");
    metrics.info("{\"_aws\":{}}");
    ring.stop();

    assertThat(list.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("{\"_aws\":{}}");
  }

  /**
   * Lines reach standard output through one buffer the ring's writer flushes per batch: fewer
   * writes than lines, every line whole, the metric documents as their message alone.
   */
  @Test
  void linesAreWrittenInBatchesAndMetricDocumentsAsTheirMessage() {
    LoggerContext context = context();
    CountingStream written = new CountingStream();
    StdoutAppender stdout = new StdoutAppender();
    stdout.setContext(context);
    stdout.setImmediateFlush(false);
    stdout.setRawLogger("dev.storymagic.emf");
    ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder =
        new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    stdout.setEncoder(encoder);
    stdout.startOn(new java.io.BufferedOutputStream(written, 64 * 1024));
    TracedAsyncAppender ring = new TracedAsyncAppender();
    ring.setContext(context);
    ring.addAppender(stdout);
    ring.start();
    Logger access = context.getLogger("dev.storymagic.server.access");
    Logger metrics = context.getLogger("dev.storymagic.emf");
    for (Logger logger : List.of(access, metrics)) {
      logger.setAdditive(false);
      logger.addAppender(ring);
    }

    for (int i = 0; i < 1_000; i++) {
      access.info("line {}", i);
    }
    metrics.info("{\"_aws\":{\"Timestamp\":1}}");
    ring.stop();

    List<String> lines = written.text().lines().toList();
    assertThat(lines).hasSize(1_001);
    assertThat(lines.get(999)).isEqualTo("INFO line 999");
    assertThat(lines.get(1_000)).isEqualTo("{\"_aws\":{\"Timestamp\":1}}");
    assertThat(written.writes).as("writes for 1,001 lines").isLessThan(1_000);
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
      assertThat(List.of(ring.iteratorForAppenders().next().getName())).containsExactly("STDOUT");
    } finally {
      context.stop();
    }
  }
}
