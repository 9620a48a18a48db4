package dev.storymagic.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.OfflineStoryModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The default StoryMagic, with nothing configured, writes real stories with the offline engine. */
class OfflineStoryEndToEndTest {

  @ParameterizedTest
  @EnumSource(AgeGroup.class)
  void theDefaultStoryMagicWritesAStoryThatPassesItsQualityChecks(AgeGroup age) {
    try (StoryMagic magic = StoryMagic.builder().build()) {
      for (String theme : new String[] {"space", "bedtime", "superheroes"}) {
        Story story =
            magic.generate(
                StoryRequest.builder()
                    .theme(theme)
                    .ageGroup(age)
                    .character("Mia", "a curious girl who loves stars")
                    .character("Leo", "a kind little dragon")
                    .setting("a lighthouse by the sea")
                    .moral("sharing")
                    .length(StoryLength.MEDIUM)
                    .build());
        assertThat(story.model()).isEqualTo(OfflineStoryModel.ID);
        assertThat(story.quality().passed())
            .as("%s: %s", theme, story.quality().problems())
            .isTrue();
        assertThat(story.title()).isNotBlank();
        assertThat(story.text())
            .contains("Mia", "Leo", "lighthouse by the sea")
            .containsIgnoringCase("sharing");
        assertThat(story.wordCount())
            .isBetween(StoryLength.MEDIUM.band(age).min(), StoryLength.MEDIUM.band(age).max());
      }
    }
  }

  @Test
  void theSameRequestIsServedTheSameStoryAndAFreshOneMayDiffer() {
    try (StoryMagic magic = StoryMagic.builder().build()) {
      StoryRequest request = StoryRequest.builder().theme("ocean").character("Mia", "").build();
      Story first = magic.generate(request);
      Story second = magic.generate(request);
      assertThat(second.text()).isEqualTo(first.text());
      boolean anyDifferent = false;
      for (int i = 0; i < 5 && !anyDifferent; i++) {
        anyDifferent =
            !magic.generate(request.toBuilder().fresh(true).build()).text().equals(first.text());
      }
      assertThat(anyDifferent).isTrue();
    }
  }

  @Test
  void englishRegionalTagsGetTheSameStoryAndOtherLanguagesAreRefused() {
    try (StoryMagic magic = StoryMagic.builder().build()) {
      StoryRequest english =
          StoryRequest.builder().theme("forest").character("Mia", "a curious girl").build();
      Story en = magic.generate(english);
      Story british = magic.generate(english.toBuilder().language("en-GB").build());
      assertThat(british.text()).isEqualTo(en.text());
      assertThat(british.request().language()).isEqualTo("en-GB");
      assertThatThrownBy(() -> magic.generate(english.toBuilder().language("de").build()))
          .isInstanceOf(StoryMagicException.InvalidRequest.class)
          .hasMessageContaining("language")
          .hasMessageContaining("English only");
    }
  }
}
