package dev.storymagic.offline;

import static dev.storymagic.offline.OfflineFixtures.MODEL;
import static dev.storymagic.offline.OfflineFixtures.bare;
import static dev.storymagic.offline.OfflineFixtures.crowd;
import static dev.storymagic.offline.OfflineFixtures.generate;
import static dev.storymagic.offline.OfflineFixtures.mia;
import static dev.storymagic.offline.OfflineFixtures.modelRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.OfflineStoryModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Same request and seed give the same story; different seeds give different ones. */
class OfflineStoryVarietyTest {

  @ParameterizedTest(name = "{0}, ages {1}, {2}")
  @MethodSource("dev.storymagic.offline.OfflineFixtures#everyThemeAgeAndLength")
  void oneRequestGivesAtLeast90DistinctStoriesAcross100Seeds(
      String theme, AgeGroup age, StoryLength length) {
    for (StoryRequest request : List.of(mia(theme, age, length), bare(theme, age, length))) {
      Set<String> stories = new HashSet<>();
      Set<String> titles = new HashSet<>();
      for (long seed = 0; seed < 100; seed++) {
        ModelResponse story = generate(request, seed);
        stories.add(story.title() + "\n" + story.text());
        titles.add(story.title());
      }
      assertThat(stories).hasSizeGreaterThanOrEqualTo(90);
      assertThat(titles).as("distinct titles").hasSizeGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void storiesDifferInTheirProblemNotOnlyInWording() {
    // without a setting of the caller's, every space problem comes up
    List<String> all =
        List.of(
            "baby star",
            "moon parade",
            "moon map",
            "little planet",
            "red fin",
            "star chart",
            "telescope",
            "beep",
            "young comet",
            "space picnic",
            "moon flowers");
    Set<String> problems = new HashSet<>();
    for (long seed = 0; seed < 150; seed++) {
      String text = generate(bare("space", AgeGroup.AGES_6_8, StoryLength.SHORT), seed).text();
      all.stream().filter(text::contains).forEach(problems::add);
    }
    assertThat(problems).containsExactlyInAnyOrderElementsOf(all);

    // in the caller's lighthouse only the problems that can happen anywhere, and still several of
    // them
    Set<String> portable = new HashSet<>();
    for (long seed = 0; seed < 100; seed++) {
      String text = generate(mia("space", AgeGroup.AGES_6_8, StoryLength.SHORT), seed).text();
      all.stream().filter(text::contains).forEach(portable::add);
    }
    assertThat(portable)
        .containsExactlyInAnyOrder(
            "moon parade", "red fin", "star chart", "telescope", "beep", "space picnic");
  }

  @Test
  void theSameRequestAndSeedAlwaysGiveTheSameStory() {
    for (Theme theme : OfflineFixtures.allThemes()) {
      for (AgeGroup age : AgeGroup.values()) {
        StoryRequest request = crowd(theme.id(), age, StoryLength.MEDIUM);
        ModelResponse first = generate(request, 42);
        ModelResponse again = generate(request, 42);
        ModelResponse fresh = OfflineStoryModel.create().generate(modelRequest(request, 42, 1));
        assertThat(again).isEqualTo(first);
        assertThat(fresh.title()).isEqualTo(first.title());
        assertThat(fresh.paragraphs()).isEqualTo(first.paragraphs());
      }
    }
  }

  @Test
  void aRegenerationAttemptWritesADifferentStory() {
    StoryRequest request = mia("ocean", AgeGroup.AGES_6_8, StoryLength.SHORT);
    ModelResponse first = MODEL.generate(modelRequest(request, 7, 1));
    ModelResponse second = MODEL.generate(modelRequest(request, 7, 2));
    ModelResponse third = MODEL.generate(modelRequest(request, 7, 3));
    assertThat(second.text()).isNotEqualTo(first.text());
    assertThat(third.text()).isNotEqualTo(second.text()).isNotEqualTo(first.text());
    assertThat(MODEL.generate(modelRequest(request, 7, 2))).isEqualTo(second);
  }

  @Test
  void differentRequestsGiveDifferentStoriesForTheSameSeed() {
    ModelResponse space = generate(mia("space", AgeGroup.AGES_6_8, StoryLength.SHORT), 1);
    ModelResponse ocean = generate(mia("ocean", AgeGroup.AGES_6_8, StoryLength.SHORT), 1);
    ModelResponse older = generate(mia("space", AgeGroup.AGES_9_12, StoryLength.SHORT), 1);
    assertThat(space.text()).isNotEqualTo(ocean.text()).isNotEqualTo(older.text());
  }
}
