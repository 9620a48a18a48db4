package dev.storymagic.offline;

import static dev.storymagic.offline.OfflineFixtures.ROBOTS;
import static dev.storymagic.offline.OfflineFixtures.generate;
import static dev.storymagic.offline.OfflineFixtures.quality;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.spi.ModelResponse;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The request's characters, setting, moral and idea all find their way into the story. */
class OfflineStoryContentTest {

  @ParameterizedTest
  @EnumSource(AgeGroup.class)
  void namesDescriptionsSettingAndMoralAppearInEveryTheme(AgeGroup age) {
    for (Theme theme : OfflineFixtures.allThemes()) {
      for (long seed = 0; seed < 10; seed++) {
        StoryRequest request =
            StoryRequest.builder()
                .theme(theme.id())
                .ageGroup(age)
                .length(StoryLength.SHORT)
                .character("Mia", "a curious girl who loves stars")
                .character("Leo", "a sleepy tortoise with a tiny hat")
                .setting("a lighthouse by the sea")
                .moral("always tell the truth")
                .build();
        String text = generate(request, seed).text();
        assertThat(text)
            .as("%s, seed %d", theme.id(), seed)
            .contains("Mia", "Leo")
            .contains("a curious girl")
            .contains("loved stars")
            .contains("a sleepy tortoise")
            .contains("a lighthouse by the sea")
            .containsIgnoringCase("always tell the truth");
      }
    }
  }

  @Test
  void descriptionsAreWovenInWithSensibleGrammar() {
    assertThat(storyWith("Mia", "a curious girl who loves stars"))
        .contains("Mia was a curious girl");
    assertThat(storyWith("Leo", "loves to dance")).contains("Leo loved to dance.");
    assertThat(storyWith("Kai", "brave and kind")).contains("Kai was brave and kind.");
    assertThat(storyWith("Zoe", "who always sings")).contains("Zoe was someone who always sang.");
    assertThat(storyWith("Ben", "pink unicorn with wings"))
        .contains("Ben was a pink unicorn with wings.");
    assertThat(storyWith("Ana", "My little sister.")).contains("Ana was a little sister.");
    assertThat(storyWith("Raj", "is six years old")).contains("Raj was six years old.");
  }

  @Test
  void theYoungestReadersGetLongDescriptionsInTwoShortSentences() {
    String text =
        generate(
                StoryRequest.builder()
                    .theme("space")
                    .ageGroup(AgeGroup.AGES_3_5)
                    .character("Mia", "a curious girl who loves stars and plays the drums")
                    .build(),
                3)
            .text();
    assertThat(text).contains("Mia was a curious girl. Mia loved stars and played the drums.");
  }

  @Test
  void settingsTakeTheRightPreposition() {
    assertThat(storyWithSetting("the moon")).contains("on the moon");
    assertThat(storyWithSetting("under the sea")).contains("under the sea");
    assertThat(storyWithSetting("Grandma's garden")).contains("in Grandma's garden");
    assertThat(storyWithSetting("a castle made of clouds")).contains("in a castle made of clouds");
  }

  @Test
  void moralsOfEveryShapeAppearVerbatim() {
    for (String moral :
        new String[] {
          "sharing",
          "always tell the truth",
          "kindness is a superpower",
          "don't give up",
          "it's okay to be different",
          "share your toys with the people who need them most"
        }) {
      for (AgeGroup age : AgeGroup.values()) {
        StoryRequest request =
            StoryRequest.builder()
                .theme("forest")
                .ageGroup(age)
                .character("Mia", "")
                .moral(moral)
                .build();
        String text = generate(request, 5).text();
        assertThat(text.toLowerCase(Locale.ROOT)).as("ages %s", age.label()).contains(moral);
        assertThat(text).doesNotContain("remembered to share your");
      }
    }
  }

  @Test
  void zeroCharactersGetInventedFriends() {
    for (Theme theme : OfflineFixtures.allThemes()) {
      StoryRequest request =
          StoryRequest.builder().theme(theme.id()).ageGroup(AgeGroup.AGES_6_8).build();
      ModelResponse story = generate(request, 11);
      assertThat(quality(request, story).passed()).isTrue();
      // the opening introduces the invented hero by name, with a description
      String opening = story.paragraphs().get(0);
      assertThat(opening).containsPattern("[A-Z][a-z]+ was (a|an|the) ");
    }
  }

  @ParameterizedTest
  @EnumSource(StoryLength.class)
  void fourCharactersAllAppearAndEachHasAPart(StoryLength length) {
    for (AgeGroup age : AgeGroup.values()) {
      for (long seed = 0; seed < 10; seed++) {
        StoryRequest request =
            StoryRequest.builder()
                .theme("pirates")
                .ageGroup(age)
                .length(length)
                .character("Mia", "a curious girl")
                .character("Leo", "a brave boy")
                .character("Sam", "")
                .character("Ava", "loves maps")
                .build();
        ModelResponse story = generate(request, seed);
        assertThat(story.text()).contains("Mia", "Leo", "Sam", "Ava");
        assertThat(quality(request, story).passed()).isTrue();
      }
    }
  }

  @Test
  void anAppDefinedThemeGetsAGenericStoryAboutIt() {
    for (AgeGroup age : AgeGroup.values()) {
      for (StoryLength length : StoryLength.values()) {
        StoryRequest request =
            StoryRequest.builder()
                .theme(ROBOTS.id())
                .ageGroup(age)
                .length(length)
                .character("Mia", "a curious girl")
                .build();
        ModelResponse story = generate(request, 3);
        assertThat(quality(request, story).passed()).isTrue();
        assertThat(story.title() + story.text()).contains("Mia");
      }
    }
    boolean mentionsTheTheme = false;
    for (long seed = 0; seed < 20; seed++) {
      ModelResponse story =
          generate(
              StoryRequest.builder()
                  .theme(ROBOTS.id())
                  .ageGroup(AgeGroup.AGES_9_12)
                  .length(StoryLength.MEDIUM)
                  .build(),
              seed);
      String all = story.title() + " " + story.text();
      mentionsTheTheme |=
          all.contains("robot friends")
              || all.contains("Robot Friends")
              || all.contains("friendly robots who help around town");
    }
    assertThat(mentionsTheTheme).isTrue();
  }

  @Test
  void theIdeaIsWovenIn() {
    StoryRequest request =
        StoryRequest.builder()
            .theme("animals")
            .ageGroup(AgeGroup.AGES_6_8)
            .character("Mia", "")
            .idea("A cat who finds a rainbow.")
            .build();
    assertThat(generate(request, 2).text()).contains("a cat who finds a rainbow");
  }

  @Test
  void bedtimeStoriesEndInSleepWithoutSuspense() {
    for (long seed = 0; seed < 20; seed++) {
      ModelResponse story =
          generate(OfflineFixtures.mia("bedtime", AgeGroup.AGES_9_12, StoryLength.LONG), seed);
      assertThat(story.paragraphs().get(story.paragraphs().size() - 1))
          .containsAnyOf("asleep", "sleep");
      assertThat(story.text()).doesNotContain("mysterious").doesNotContain("hardly daring");
    }
  }

  @Test
  void englishRegionalTagsGetAStoryAndOtherLanguagesAClearError() {
    for (String tag : new String[] {"en", "en-GB", "EN-us", "en_AU"}) {
      StoryRequest request =
          StoryRequest.builder().theme("ocean").language(tag).character("Mia", "").build();
      assertThat(quality(request, generate(request, 1)).passed()).as(tag).isTrue();
    }
    for (String tag : new String[] {"de", "fr", "es", "pt-BR", "eng"}) {
      StoryRequest request =
          StoryRequest.builder().theme("ocean").language(tag).character("Mia", "").build();
      assertThatThrownBy(() -> generate(request, 1))
          .as(tag)
          .isInstanceOfSatisfying(
              StoryMagicException.InvalidRequest.class,
              e ->
                  assertThat(e.errors())
                      .singleElement()
                      .satisfies(
                          error -> {
                            assertThat(error.field()).isEqualTo("language");
                            assertThat(error.message())
                                .contains("English only")
                                .contains("'" + tag + "'");
                          }));
    }
  }

  private static String storyWith(String name, String description) {
    return generate(
            StoryRequest.builder()
                .theme("forest")
                .ageGroup(AgeGroup.AGES_9_12)
                .character(name, description)
                .build(),
            1)
        .text();
  }

  private static String storyWithSetting(String setting) {
    return generate(
            StoryRequest.builder()
                .theme("space")
                .ageGroup(AgeGroup.AGES_6_8)
                .character("Mia", "")
                .setting(setting)
                .build(),
            1)
        .text();
  }
}
