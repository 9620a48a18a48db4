package dev.storymagic.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.testing.SampleStories;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that keeps a connection alive after answering, then drops it when the next request
 * arrives on it without sending a byte (as llama.cpp's server does after a stream): the request
 * cannot have been processed, so it is sent once more on a fresh connection, for the model and the
 * moderation filter alike, and the pipeline never sees a failure.
 */
class StaleConnectionTest {
  private ServerSocket socket;
  private Thread acceptor;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "stale-keep-alive-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    socket.close();
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  @Test
  void aModelCallOnAConnectionTheServerDropped_isSentAgainOnAFreshOne() {
    try (OpenAiStoryModel model =
            OpenAiStoryModel.builder().baseUrl(baseUrl()).structuredOutput(false).build();
        StoryMagic magic =
            StoryMagic.builder()
                .model(model)
                .safety(SafetyFilter.passThrough())
                .resilience(OpenAiStub.fastRetries().toBuilder().maxAttempts(1).build())
                .build()) {
      Story first = magic.generate(SampleStories.request().toBuilder().fresh(true).build());
      Story second = magic.generate(SampleStories.request().toBuilder().fresh(true).build());
      assertThat(first.title()).isEqualTo(OpenAiStub.TITLE);
      assertThat(second.title()).isEqualTo(OpenAiStub.TITLE);
      assertThat(second.attempts())
          .as("the pipeline saw one call; the transport resent it")
          .isEqualTo(1);
    }
    assertThat(dropped).hasValue(1);
    assertThat(connections).hasValue(2);
  }

  @Test
  void aModerationCallOnAConnectionTheServerDropped_isSentAgainRatherThanFailingClosed() {
    SafetyContext output =
        new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults());
    try (OpenAiModerationFilter filter =
        OpenAiModerationFilter.builder().baseUrl(baseUrl()).build()) {
      SafetyVerdict first = filter.check("Mia shared her cocoa.", output);
      SafetyVerdict second = filter.check("Bolt shared his toolbox.", output);
      assertThat(first.allowed()).isTrue();
      assertThat(second.allowed()).as("not 'unverified'").isTrue();
      assertThat(second.findings()).isEmpty();
    }
    assertThat(dropped).hasValue(1);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        int n = connections.incrementAndGet();
        Thread t = new Thread(() -> serve(connection, n == 1), "stale-keep-alive-connection-" + n);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** A header line without its CRLF, or null at the end of the stream. */
  private static String readLine(java.io.InputStream in) throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).stripTrailing();
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Answers requests; on the first connection, drops the second request without a byte of answer.
   */
  private void serve(Socket connection, boolean dropSecond) {
    try (connection) {
      java.io.InputStream in = new java.io.BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      int served = 0;
      while (true) {
        String requestLine = readLine(in);
        if (requestLine == null) {
          return;
        }
        int length = 0;
        for (String header = readLine(in);
            header != null && !header.isEmpty();
            header = readLine(in)) {
          if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(header.substring("content-length:".length()).strip());
          }
        }
        if (in.readNBytes(length).length < length) {
          return;
        }
        served++;
        if (dropSecond && served == 2) {
          dropped.incrementAndGet();
          return; // closes the socket: the client sees the stream end before any response byte
        }
        String json =
            requestLine.contains("/moderations")
                ? "{\"results\":[{\"flagged\":false,\"categories\":{\"violence\":false},"
                    + "\"category_scores\":{\"violence\":0.001}}]}"
                : OpenAiStub.completion(OpenAiStub.plainStory(), "stop", 10, 20);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
                    + "Content-Length: "
                    + bytes.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        answered.incrementAndGet();
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    }
  }
}
