package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.openai.example.PrintOpenAiStory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM runs the README example against WireMock over real OkHttp and returns from {@code
 * main}; it must exit within 2 seconds of {@code StoryMagic.close()}. Before closing StoryMagic
 * closed its model, OkHttp's dispatcher thread kept such a JVM alive for about a minute.
 */
class JvmExitAfterCloseTest {
  private static final long MAX_EXIT_MS = 2_000;

  @Test
  void theExampleProgramExitsWithinTwoSecondsOfClose(@TempDir Path dir) throws Exception {
    try (OpenAiStub stub = OpenAiStub.start()) {
      stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path out = dir.resolve("out.txt");
      Process process =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  PrintOpenAiStory.class.getName(),
                  stub.baseUrl())
              .redirectOutput(out.toFile())
              .redirectError(dir.resolve("err.txt").toFile())
              .start();
      boolean exited = process.waitFor(60, TimeUnit.SECONDS);
      long exitedAt = System.currentTimeMillis();
      if (!exited) {
        process.destroyForcibly();
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertThat(lines)
          .as("stdout; stderr: %s", read(dir.resolve("err.txt").toFile()))
          .contains(OpenAiStub.TITLE);
      long closedAt =
          lines.stream()
              .filter(l -> l.startsWith("closed-at-ms "))
              .findFirst()
              .map(l -> Long.parseLong(l.substring("closed-at-ms ".length())))
              .orElseThrow();
      System.err.println(
          "JvmExitAfterCloseTest: exited " + (exitedAt - closedAt) + " ms after close()");
      assertThat(exited).as("the JVM exited on its own").isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(exitedAt - closedAt)
          .as("milliseconds from close() to the JVM's exit")
          .isLessThanOrEqualTo(MAX_EXIT_MS);
    }
  }

  private static String read(File f) throws java.io.IOException {
    return f.exists() ? Files.readString(f.toPath(), StandardCharsets.UTF_8) : "";
  }
}
