package dev.storymagic.server.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The server's log lines on standard output (which the ECS log driver ships to CloudWatch Logs),
 * through one buffer that {@link TracedAsyncAppender}'s writer flushes once per batch of lines it
 * drains: one {@code write} for all the lines it found, where the console appender makes one per
 * line ({@code System.out} flushes every write), and at ten thousand requests a second each {@code
 * write} is a system call the cached endpoints paid for. Not API.
 *
 * <p>It is the only writer of log lines to standard output, CloudWatch Embedded Metric Format
 * documents included (the lines of {@link #setRawLogger rawLogger}, written as their message
 * alone): a second writer's line could otherwise land inside one of this buffer's, since a write of
 * more than a pipe's atomic size may be split when the pipe is full.
 *
 * <p>Stopping it flushes the buffer and leaves standard output open.
 *
 * <p>While {@link #holdBack held back} (the start-up warm-up's private copy of the server is
 * serving), lines below ERROR are encoded as usual and dropped, so the warm-up compiles the logging
 * path the access log takes without its lines reading as the server's. Lines made before {@link
 * #release} are dropped even when the writer reaches them after it.
 */
public final class StdoutAppender extends OutputStreamAppender<ILoggingEvent> {
  private int bufferSize = 64 * 1024;
  private String rawLogger;
  private volatile Instant heldBackUntil = Instant.MIN;

  /** Bytes buffered between flushes (default 64 KiB); a fuller buffer is written at once. */
  public void setBufferSize(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("bufferSize must be at least 1024 bytes: " + bytes);
    }
    this.bufferSize = bytes;
  }

  /** The logger whose lines are written as their message alone, without the encoder's fields. */
  public void setRawLogger(String name) {
    this.rawLogger = name;
  }

  @Override
  public void start() {
    setOutputStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), bufferSize) {
          @Override
          public void close() throws IOException {
            flush(); // standard output stays open for the rest of the process
          }
        });
    super.start();
  }

  /** For tests: lines go to {@code out} instead of standard output. */
  void startOn(OutputStream out) {
    setOutputStream(out);
    super.start();
  }

  /** Drops lines below ERROR from now until {@link #release}, after encoding them. */
  public void holdBack() {
    heldBackUntil = Instant.MAX;
  }

  /**
   * Writes the lines made from now on; those made while held back stay dropped. Once: a second call
   * does not drop the lines made between the two.
   */
  public synchronized void release() {
    if (heldBackUntil.equals(Instant.MAX)) {
      heldBackUntil = Instant.now();
    }
  }

  /**
   * The appenders of this kind that {@code logger} writes to, directly or through an appender that
   * holds others (the asynchronous ring).
   */
  public static List<StdoutAppender> attachedTo(Logger logger) {
    List<StdoutAppender> found = new ArrayList<>();
    collect(logger.iteratorForAppenders(), found);
    return found;
  }

  private static void collect(
      Iterator<Appender<ILoggingEvent>> appenders, List<StdoutAppender> into) {
    while (appenders.hasNext()) {
      Appender<ILoggingEvent> appender = appenders.next();
      if (appender instanceof StdoutAppender stdout) {
        into.add(stdout);
      } else if (appender instanceof AppenderAttachable<?> holder) {
        @SuppressWarnings("unchecked") // a logger's appenders hold appenders of logging events
        AppenderAttachable<ILoggingEvent> events = (AppenderAttachable<ILoggingEvent>) holder;
        collect(events.iteratorForAppenders(), into);
      }
    }
  }

  @Override
  protected void writeOut(ILoggingEvent line) throws IOException {
    if (line.getLevel().toInt() < Level.ERROR_INT && line.getInstant().isBefore(heldBackUntil)) {
      // Held back: the line's encoding is what the warm-up is for, its bytes are not wanted.
      if (!(encoder instanceof JsonLineEncoder lines
          && writeLine(lines, line, OutputStream.nullOutputStream()))) {
        var unused = encoder.encode(line);
      }
      return;
    }
    if (line.getLoggerName().equals(rawLogger)) {
      writeByteArrayToOutputStreamWithPossibleFlush(
          (line.getFormattedMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    } else if (!(encoder instanceof JsonLineEncoder lines
        && writeLine(lines, line, getOutputStream()))) {
      super.writeOut(line);
    }
  }

  /**
   * The line written straight into the buffer by {@link JsonLineEncoder}, under the stream's lock
   * as logback writes its encoded bytes; false when that encoder leaves the line to logback's.
   */
  private boolean writeLine(JsonLineEncoder lines, ILoggingEvent line, OutputStream out)
      throws IOException {
    streamWriteLock.lock();
    try {
      if (!isStarted()) {
        return true; // stopped meanwhile: dropped, as logback drops it
      }
      if (!lines.writeLine(line, out)) {
        return false;
      }
      if (isImmediateFlush()) {
        out.flush();
      }
      return true;
    } finally {
      streamWriteLock.unlock();
    }
  }
}
