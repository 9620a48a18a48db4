package dev.storymagic.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.ModelStreamListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainTextStoryTest {
  @Test
  void parse_titleBlankLineParagraphs() {
    PlainTextStory story =
        PlainTextStory.parse("The Brave Kite\n\nA kite flew high.\n\nIt came home safe.");
    assertThat(story.title()).isEqualTo("The Brave Kite");
    assertThat(story.paragraphs()).containsExactly("A kite flew high.", "It came home safe.");
  }

  @Test
  void parse_markdownTitleAndSingleLineBreaks() {
    PlainTextStory story =
        PlainTextStory.parse(
            "\n# Title: **\"The Brave Kite\"**\nA kite flew high.\nIt came home safe.\n");
    assertThat(story.title()).isEqualTo("The Brave Kite");
    assertThat(story.paragraphs()).containsExactly("A kite flew high.", "It came home safe.");
  }

  @Test
  void parse_wrappedLinesInsideParagraphsAreJoined() {
    PlainTextStory story = PlainTextStory.parse("Kite\n\nA kite\nflew high.\n\nIt came\nhome.");
    assertThat(story.paragraphs()).containsExactly("A kite flew high.", "It came home.");
  }

  @Test
  void parse_overlongFirstLine_isBodyNotTitle() {
    String longLine = "word ".repeat(50).strip();
    PlainTextStory story = PlainTextStory.parse(longLine + "\n\nMore.");
    assertThat(story.title()).isEmpty();
    assertThat(story.paragraphs()).containsExactly(longLine, "More.");
  }

  @Test
  void accept_deliversTitleOnceItsLineEndsAndBodyPiecesAtOnce() {
    List<String> events = new ArrayList<>();
    PlainTextStory story =
        new PlainTextStory(
            new ModelStreamListener() {
              @Override
              public void onDelta(String text) {
                events.add("delta:" + text);
              }

              @Override
              public void onTitle(String title) {
                events.add("title:" + title);
              }
            });

    story.accept("The Bra");
    assertThat(events).isEmpty();
    story.accept("ve Kite\n");
    assertThat(events).containsExactly("title:The Brave Kite");
    story.accept("\nA kite");
    story.accept(" flew.\n\nHome.");
    story.finish();

    assertThat(events)
        .containsExactly("title:The Brave Kite", "delta:A kite", "delta: flew.\n\nHome.");
    assertThat(story.paragraphs()).containsExactly("A kite flew.", "Home.");
    assertThat(story.bodyDelivered()).isTrue();
  }
}
