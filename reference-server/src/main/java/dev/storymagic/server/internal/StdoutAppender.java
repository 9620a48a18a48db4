package dev.storymagic.server.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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
 */
public final class StdoutAppender extends OutputStreamAppender<ILoggingEvent> {
  private int bufferSize = 64 * 1024;
  private String rawLogger;

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

  @Override
  protected void writeOut(ILoggingEvent line) throws IOException {
    if (line.getLoggerName().equals(rawLogger)) {
      writeByteArrayToOutputStreamWithPossibleFlush(
          (line.getFormattedMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    } else {
      super.writeOut(line);
    }
  }
}
