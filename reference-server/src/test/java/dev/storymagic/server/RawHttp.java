package dev.storymagic.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 written by hand on a socket, for requests no well-behaved client would send. */
final class RawHttp implements AutoCloseable {
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
  private final Socket socket;

  RawHttp(int port, int readTimeoutMillis) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      socket.setSoTimeout(readTimeoutMillis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes these bytes as they are. */
  RawHttp write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends FIN: the request ends here, whatever its framing promised. */
  RawHttp endOutput() {
    try {
      socket.shutdownOutput();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The status of the first response, or empty when the server closed the connection without an
   * answer or none came within the read timeout.
   */
  Optional<Integer> status() {
    String head = readHead();
    Matcher m = STATUS.matcher(head);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Everything up to the end of the response headers (or of the stream). */
  String readHead() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      int b;
      while ((b = in.read()) >= 0) {
        bytes.write(b);
        if (bytes.size() >= 4 && bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      // no (complete) answer within the timeout: what was read is returned
    } catch (IOException e) {
      // reset by the server: what was read is returned
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  /** Everything the server sends until it closes the connection (or the read timeout). */
  byte[] readRemaining() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      socket.getInputStream().transferTo(bytes);
    } catch (IOException e) {
      // reset or timed out: what was read is returned
    }
    return bytes.toByteArray();
  }

  boolean isClosedByServer() {
    try {
      return socket.getInputStream().read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
