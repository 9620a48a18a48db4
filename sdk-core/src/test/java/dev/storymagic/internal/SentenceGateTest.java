package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.Story;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceGateTest {

  private static List<String> released(String... deltas) {
    List<String> out = new ArrayList<>();
    SentenceGate gate =
        new SentenceGate(
            List.of(SafetyFilter.passThrough()),
            new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_6_8, SafetyPolicy.defaults()),
            new StoryListener() {
              @Override
              public void onText(String text) {
                out.add(text);
              }

              @Override
              public void onComplete(Story story) {}

              @Override
              public void onError(StoryMagicException error) {}
            });
    for (String d : deltas) {
      gate.onDelta(d);
    }
    gate.finish();
    return out;
  }

  @Test
  void titlesAndAbbreviationsDoNotEndASentence() {
    assertThat(
            released(
                "Dr. Owl met Mrs. Hen and Mr. Fox on St. Mary Street. ",
                "They had tea. ",
                "The end."))
        .containsExactly(
            "Dr. Owl met Mrs. Hen and Mr. Fox on St. Mary Street. ", "They had tea. ", "The end.");
  }

  @Test
  void anAbbreviationSplitAcrossDeltasIsHeldBack() {
    assertThat(released("Then Dr", ". Owl smiled. ", "Bye."))
        .containsExactly("Then Dr. Owl smiled. ", "Bye.");
  }

  @Test
  void initialsAreNotSentenceEndsButTheWordIIs() {
    assertThat(released("J. R. Mouse waved. ", "So did I. ", "Yes."))
        .containsExactly("J. R. Mouse waved. ", "So did I. ", "Yes.");
  }

  @Test
  void ordinarySentencesStillSplit() {
    assertThat(released("Mia ran. Bolt beeped! Was it late? \"Yes.\" The end."))
        .containsExactly("Mia ran. ", "Bolt beeped! ", "Was it late? ", "\"Yes.\" ", "The end.");
  }

  @Test
  void jsonIsHeldWholeUntilTheEnd() {
    assertThat(released("{\"title\": \"A.\", ", "\"paragraphs\": [\"One. Two.\"]}"))
        .containsExactly("{\"title\": \"A.\", \"paragraphs\": [\"One. Two.\"]}");
  }
}
