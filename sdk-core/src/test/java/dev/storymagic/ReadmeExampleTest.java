package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.example.PrintStory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReadmeExampleTest {
  @Test
  void readmeExamplePrintsAStoryWithTitleAndBody() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      PrintStory.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines().findFirst())
        .hasValueSatisfying(title -> assertThat(title).isNotBlank());
    assertThat(printed)
        .contains("Mia")
        .containsPattern("\\(\\d+ words, reading grade -?\\d+\\.\\d, model offline-\\d+\\)");
  }
}
