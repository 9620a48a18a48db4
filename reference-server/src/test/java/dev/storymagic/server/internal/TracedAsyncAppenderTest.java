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
    LoggerContext context = new LoggerContext();
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
    LoggerContext context = new LoggerContext();
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
  void theProductionConfigurationWritesThroughTheRingWithoutWakingItsWriterPerLine()
      throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL production = TracedAsyncAppender.class.getResource("/logback.xml");
    assertThat(production).as("the server's logback.xml on the classpath").isNotNull();
    configurator.doConfigure(production);
    try {
      TracedAsyncAppender ring =
          (TracedAsyncAppender)
              context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC_JSON");
      assertThat(ring).as("the root logger's asynchronous appender").isNotNull();
      assertThat(ring.isStarted()).isTrue();
      assertThat(ring.getRingBufferSize()).isEqualTo(8192);
      assertThat(ring.getDiscardingThreshold()).isEqualTo(1638);
      assertThat(ring.getWaitStrategy()).isInstanceOf(SleepingWaitStrategy.class);
      assertThat(List.of(ring.iteratorForAppenders().next().getName())).containsExactly("JSON");
    } finally {
      context.stop();
    }
  }
}
