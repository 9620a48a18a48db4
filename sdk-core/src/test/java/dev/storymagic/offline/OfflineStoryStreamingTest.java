package dev.storymagic.offline;

import static dev.storymagic.offline.OfflineFixtures.MODEL;
import static dev.storymagic.offline.OfflineFixtures.mia;
import static dev.storymagic.offline.OfflineFixtures.modelRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.internal.offline.OfflineStoryEngine;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.OfflineStoryModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streaming delivers the story sentence by sentence, in order; the model contract covers
 * cancellation.
 */
class OfflineStoryStreamingTest {

  private static final class Recorder implements ModelStreamListener {
    final List<String> deltas = new ArrayList<>();
    final List<String> titles = new ArrayList<>();
    final int cancelAfter;

    Recorder(int cancelAfter) {
      this.cancelAfter = cancelAfter;
    }

    @Override
    public void onDelta(String text) {
      deltas.add(text);
    }

    @Override
    public void onTitle(String title) {
      titles.add(title);
    }

    @Override
    public boolean isCancelled() {
      return deltas.size() >= cancelAfter;
    }
  }

  @Test
  void streamingDeliversEverySentenceInOrderAndTheSameStory() {
    for (AgeGroup age : AgeGroup.values()) {
      ModelRequest request = modelRequest(mia("dragons", age, StoryLength.MEDIUM), 9, 1);
      Recorder recorder = new Recorder(Integer.MAX_VALUE);
      ModelResponse streamed = MODEL.stream(request, recorder);
      ModelResponse generated = MODEL.generate(request);

      assertThat(streamed).isEqualTo(generated);
      assertThat(recorder.titles).containsExactly(generated.title());
      List<String> sentences = new ArrayList<>();
      generated.paragraphs().forEach(p -> sentences.addAll(OfflineStoryEngine.sentences(p)));
      assertThat(recorder.deltas).hasSize(sentences.size());
      for (int i = 0; i < sentences.size(); i++) {
        assertThat(recorder.deltas.get(i).strip()).isEqualTo(sentences.get(i));
      }
      assertThat(normalise(String.join("", recorder.deltas)))
          .isEqualTo(normalise(generated.text()));
      assertThat(String.join("", recorder.deltas)).isEqualTo(generated.text());
    }
  }

  @Test
  void aPacedStreamPausesBetweenSentencesButDeliversTheSameText() {
    OfflineStoryModel paced = OfflineStoryModel.withStreamPace(Duration.ofMillis(1));
    ModelRequest request = modelRequest(mia("ocean", AgeGroup.AGES_3_5, StoryLength.SHORT), 4, 1);
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    assertThat(paced.stream(request, recorder)).isEqualTo(MODEL.generate(request));
    assertThat(String.join("", recorder.deltas)).isEqualTo(MODEL.generate(request).text());
  }

  @Test
  void streamPaceOutsideItsRangeIsRejected() {
    assertThatThrownBy(() -> OfflineStoryModel.withStreamPace(Duration.ofSeconds(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stream pace must be within 0..5s");
    assertThatThrownBy(() -> OfflineStoryModel.withStreamPace(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stream pace must be within 0..5s");
  }

  @Test
  void sentencesKeepClosingQuotesAndSplitOnlyAtSentenceEnds() {
    assertThat(
            OfflineStoryEngine.sentences(
                "\"We can help!\" said Mia. Look! There it was: 3.5 stars... \"Yes?\""))
        .containsExactly(
            "\"We can help!\" said Mia.", "Look!", "There it was: 3.5 stars...", "\"Yes?\"");
    assertThat(OfflineStoryEngine.sentences("No ending here")).containsExactly("No ending here");
    assertThat(OfflineStoryEngine.sentences("")).isEmpty();
  }

  private static String normalise(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }
}
