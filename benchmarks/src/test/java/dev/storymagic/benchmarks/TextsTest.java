package dev.storymagic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

  @Test
  void storyHasATitleLineAndAboutFourHundredWords() {
    String story = Texts.story();

    assertThat(story.lines().findFirst()).hasValue("Mia, Bolt and the Little Lost Star");
    assertThat(story.split("\\s+")).hasSizeBetween(380, 430);
  }

  @Test
  void wordsRepeatsTheBodyToExactlyTheCountKeepingParagraphs() {
    String text = Texts.words(Texts.story(), 1_000);

    assertThat(text.split("\\s+")).hasSize(1_000);
    assertThat(text).doesNotContain("Mia, Bolt and the Little Lost Star");
    assertThat(text).startsWith("On a quiet moon base");
    assertThat(text.split("\n\n"))
        .allSatisfy(p -> assertThat(p).isNotBlank().doesNotStartWith(" "));
  }

  @Test
  void wordsCutsTheFirstParagraphForSmallCounts() {
    assertThat(Texts.words("Title\n\nOne two three four.\n\nFive six.", 3))
        .isEqualTo("One two three");
    assertThat(Texts.words("Title\n\nOne two.\n\nThree.", 5))
        .isEqualTo("One two.\n\nThree.\n\nOne two.");
  }
}
