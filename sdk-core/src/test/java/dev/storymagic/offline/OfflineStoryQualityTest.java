package dev.storymagic.offline;

import static dev.storymagic.offline.OfflineFixtures.bare;
import static dev.storymagic.offline.OfflineFixtures.crowd;
import static dev.storymagic.offline.OfflineFixtures.generate;
import static dev.storymagic.offline.OfflineFixtures.mia;
import static dev.storymagic.offline.OfflineFixtures.quality;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.internal.Readability;
import dev.storymagic.internal.offline.OfflineStoryEngine;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every theme, age group and length, over many seeds: the stories pass the pipeline's quality
 * checks.
 */
class OfflineStoryQualityTest {
  private static final int SEEDS = 20;
  private static final LocalSafetyClassifier CLASSIFIER = LocalSafetyClassifier.create();

  /** Words a keyword safety scan flags; none may ever appear in a story. */
  private static final Set<String> UNSAFE_WORDS =
      Set.of(
          "kill",
          "killed",
          "kills",
          "blood",
          "bloody",
          "gun",
          "guns",
          "knife",
          "knives",
          "die",
          "dies",
          "died",
          "dead",
          "death",
          "scary",
          "scared",
          "monster",
          "monsters",
          "hate",
          "hates",
          "stupid",
          "fight",
          "fights",
          "fighting",
          "hurt",
          "hurts",
          "attack",
          "attacked",
          "weapon",
          "weapons",
          "sword",
          "swords",
          "cannon",
          "bomb",
          "war",
          "enemy",
          "villain",
          "evil",
          "afraid",
          "terrified",
          "nightmare",
          "ghost",
          "shoot",
          "shooting",
          "punch",
          "kick",
          "hit",
          "dumb",
          "idiot",
          "poison",
          "drown",
          "danger",
          "dangerous",
          "trap",
          "creepy",
          "spooky",
          "witch",
          "cry",
          "crying",
          "blast");

  @ParameterizedTest(name = "{0}, ages {1}, {2}")
  @MethodSource("dev.storymagic.offline.OfflineFixtures#everyThemeAgeAndLength")
  void everyStoryPassesTheQualityReport(String theme, AgeGroup age, StoryLength length) {
    List<String> failures = new ArrayList<>();
    for (StoryRequest request :
        List.of(mia(theme, age, length), crowd(theme, age, length), bare(theme, age, length))) {
      for (long seed = 0; seed < SEEDS; seed++) {
        ModelResponse story = generate(request, seed * 7919 + 13);
        QualityReport report = quality(request, story);
        if (!report.passed()) {
          failures.add(
              request.characters().size() + " characters, seed " + seed + ": " + report.problems());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @ParameterizedTest(name = "{0}, ages {1}, {2}")
  @MethodSource("dev.storymagic.offline.OfflineFixtures#everyThemeAgeAndLength")
  void storiesHaveATitleAndAnArcOfSeveralParagraphs(
      String theme, AgeGroup age, StoryLength length) {
    for (long seed = 0; seed < 5; seed++) {
      ModelResponse story = generate(mia(theme, age, length), seed);
      assertThat(story.title()).isNotBlank().doesNotContain("{").doesNotContain("}");
      assertThat(story.paragraphs())
          .hasSizeGreaterThanOrEqualTo(length == StoryLength.SHORT ? 4 : 5);
      assertThat(story.text()).doesNotContain("{").doesNotContain("}").doesNotContain("  ");
    }
  }

  @ParameterizedTest(name = "{0}, ages {1}, {2}")
  @MethodSource("dev.storymagic.offline.OfflineFixtures#everyThemeAgeAndLength")
  void sentenceLengthSuitsTheAgeGroup(String theme, AgeGroup age, StoryLength length) {
    int sentences = 0;
    int words = 0;
    int overLimit = 0;
    for (long seed = 0; seed < 10; seed++) {
      for (String paragraph : generate(mia(theme, age, length), seed).paragraphs()) {
        for (String sentence : OfflineStoryEngine.sentences(paragraph)) {
          int n = Readability.wordCount(sentence);
          sentences++;
          words += n;
          if (n > age.targetSentenceWords() + 4) {
            overLimit++;
          }
        }
      }
    }
    double average = (double) words / sentences;
    assertThat(average)
        .as("average words per sentence")
        .isLessThanOrEqualTo(age.targetSentenceWords() * 0.8);
    assertThat((double) overLimit / sentences)
        .as("share of sentences well over %d words", age.targetSentenceWords())
        .isLessThan(0.03);
  }

  @ParameterizedTest(name = "{0}, ages {1}, {2}")
  @MethodSource("dev.storymagic.offline.OfflineFixtures#everyThemeAgeAndLength")
  void storiesNeverContainWordsASafetyScanFlags(String theme, AgeGroup age, StoryLength length) {
    for (StoryRequest request : List.of(mia(theme, age, length), bare(theme, age, length))) {
      for (long seed = 0; seed < 10; seed++) {
        ModelResponse story = generate(request, seed);
        String text = (story.title() + " " + story.text()).toLowerCase(Locale.ROOT);
        for (String word : text.split("[^a-z']+")) {
          assertThat(UNSAFE_WORDS).as("story text for seed %d", seed).doesNotContain(word);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}, ages {1}, {2}")
  @MethodSource("dev.storymagic.offline.OfflineFixtures#everyThemeAgeAndLength")
  void storiesPassTheBuiltInSafetyClassifierWithoutAFinding(
      String theme, AgeGroup age, StoryLength length) {
    SafetyContext context = new SafetyContext(SafetyStage.OUTPUT, age, SafetyPolicy.defaults());
    for (StoryRequest request :
        List.of(mia(theme, age, length), crowd(theme, age, length), bare(theme, age, length))) {
      for (long seed = 0; seed < 10; seed++) {
        ModelResponse story = generate(request, seed);
        assertThat(CLASSIFIER.check(story.title(), context).findings()).isEmpty();
        assertThat(CLASSIFIER.check(story.text(), context).findings())
            .as("seed %d", seed)
            .isEmpty();
      }
    }
  }

  @Test
  void youngerReadersGetPlainerProseThanOlderOnes() {
    for (Theme theme : OfflineFixtures.allThemes()) {
      for (StoryLength length : StoryLength.values()) {
        double[] grade = new double[AgeGroup.values().length];
        for (AgeGroup age : AgeGroup.values()) {
          for (long seed = 0; seed < 10; seed++) {
            grade[age.ordinal()] +=
                Readability.fleschKincaidGrade(generate(mia(theme.id(), age, length), seed).text());
          }
        }
        assertThat(grade[0]).as("%s %s: 3-5 vs 6-8", theme.id(), length).isLessThan(grade[1]);
        assertThat(grade[1]).as("%s %s: 6-8 vs 9-12", theme.id(), length).isLessThan(grade[2]);
      }
    }
  }
}
