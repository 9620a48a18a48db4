package dev.storymagic.benchmarks.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoryMetricsTest {

  @Test
  void sharedSentenceShareCountsOccurrencesOfSentencesInMoreThanTheThreshold() {
    List<List<String>> stories =
        List.of(List.of("A.", "B."), List.of("A.", "C."), List.of("D.", "E."), List.of("F.", "G."));
    // "A." is in 2 of 4 stories (50 %): its 2 occurrences of 8 are shared above 30 %, nothing is
    // above 60 %
    assertThat(StoryMetrics.sharedSentenceShare(stories, 0.3)).isEqualTo(0.25);
    assertThat(StoryMetrics.sharedSentenceShare(stories, 0.6)).isZero();
  }

  @Test
  void repeatedWithinCountsEveryRepeatAfterTheFirst() {
    assertThat(StoryMetrics.repeatedWithin(List.of("A.", "B.", "A.", "A."))).isEqualTo(0.5);
    assertThat(StoryMetrics.repeatedWithin(List.of("A.", "B."))).isZero();
  }

  @Test
  void distinctNLooksAtExactlyTheFirstTokens() {
    List<String> tokens = StoryMetrics.tokens("The cat sat. The cat sat! A dog");
    assertThat(tokens).containsExactly("the", "cat", "sat", "the", "cat", "sat", "a", "dog");
    assertThat(StoryMetrics.distinctN(tokens, 1, 6)).isEqualTo(0.5);
    assertThat(StoryMetrics.distinctN(tokens, 3, 6)).isCloseTo(3.0 / 4, within(1e-9));
    assertThat(StoryMetrics.distinctN(tokens, 1, 9)).isNaN();
  }

  @Test
  void jaccardOfSentenceSets() {
    assertThat(StoryMetrics.jaccard(List.of("A.", "B."), List.of("B.", "C.")))
        .isCloseTo(1.0 / 3, within(1e-9));
  }
}
