package dev.storymagic.internal.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the writer chooses: a problem that fits the caller's setting, and names where "they" would
 * be unclear.
 */
class StoryWriterTest {
  private static final Content CONTENT = Content.get();

  private static StoryWriter writer(StoryRequest request, long seed) {
    Theme theme = ThemeCatalog.defaults().find(request.theme()).orElseThrow();
    return new StoryWriter(
        CONTENT,
        new StoryWriter.Brief(request, theme, request.length().band(request.ageGroup())),
        new SplittableRandom(seed),
        0);
  }

  @Test
  void everyThemeHasSeveralProblemsThatCanHappenAnywhereAndMoreThatNeedItsOwnPlaces() {
    for (Theme theme : ThemeCatalog.defaults().all()) {
      Content.ThemeContent t = CONTENT.theme(theme.id());
      assertThat(t.portableQuests()).as(theme.id()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(t.quests())
          .as(theme.id())
          .hasSizeGreaterThanOrEqualTo(6)
          .containsAll(t.portableQuests());
    }
    assertThat(CONTENT.theme(Content.GENERIC).portableQuests()).isNotEmpty();
  }

  @Test
  void aSettingOfTheCallersOnlyGetsAProblemThatCanHappenAnywhere() {
    for (Theme theme : ThemeCatalog.defaults().all()) {
      Content.ThemeContent t = CONTENT.theme(theme.id());
      Set<Content.Quest> withSetting = new HashSet<>();
      Set<Content.Quest> without = new HashSet<>();
      for (long seed = 0; seed < 200; seed++) {
        for (AgeGroup age : AgeGroup.values()) {
          StoryRequest.Builder b =
              StoryRequest.builder()
                  .theme(theme.id())
                  .ageGroup(age)
                  .length(StoryLength.SHORT)
                  .character("Mia", "a girl");
          StoryWriter inLibrary = writer(b.setting("the library").build(), seed);
          inLibrary.write();
          withSetting.add(inLibrary.quest());
          StoryWriter own = writer(b.setting(null).build(), seed);
          own.write();
          without.add(own.quest());
        }
      }
      // a moon map floating out of a window, a dry water hole: never in the caller's library
      assertThat(withSetting)
          .as(theme.id())
          .containsExactlyInAnyOrderElementsOf(t.portableQuests());
      // in the theme's own places, every problem comes up
      assertThat(without).as(theme.id()).containsExactlyInAnyOrderElementsOf(t.quests());
    }
  }

  @Test
  void onlyOnePersonCalledTheyIsNamedInsteadOfAPronoun() {
    Traits traits = CONTENT.traits();
    assertThat(StoryWriter.singularThey(CastMember.of("Sam", "", traits))).isTrue();
    assertThat(StoryWriter.singularThey(CastMember.of("Zip", "a little robot", traits))).isTrue();
    assertThat(StoryWriter.singularThey(CastMember.of("Mia", "a girl who loves stars", traits)))
        .isFalse();
    assertThat(StoryWriter.singularThey(CastMember.of("Leo", "he plays the drums", traits)))
        .isFalse();
    // a plural name is "they" for real, and so are the group's own lines
    assertThat(StoryWriter.singularThey(CastMember.of("The Twins", "two sisters", traits)))
        .isFalse();
  }

  /** Speech given to "they" in a story where "they" could be the group or one person. */
  private static final Pattern THEY_SPEAKS =
      Pattern.compile(
          "[,!?.][\\\"\\u201d] (they|them) (said|asked|sighed|admitted|muttered|called|whispered|shouted|announced)\\b"
              + "|\\b(they|them) (said|asked|sighed|admitted|muttered|whispered), \\\"");

  @Test
  void speechIsNeverGivenToAnUnclearThey() {
    int stories = 0;
    for (Theme theme : ThemeCatalog.defaults().all()) {
      for (AgeGroup age : AgeGroup.values()) {
        for (StoryLength length : StoryLength.values()) {
          for (long seed = 0; seed < 8; seed++) {
            // Sam (no description) is one person called "they"; Leo is "he"
            StoryRequest samFirst =
                StoryRequest.builder()
                    .theme(theme.id())
                    .ageGroup(age)
                    .length(length)
                    .character("Sam", "")
                    .character("Leo", "a boy who plays the drums")
                    .moral("honesty")
                    .build();
            StoryRequest samSecond =
                StoryRequest.builder()
                    .theme(theme.id())
                    .ageGroup(age)
                    .length(length)
                    .character("Leo", "a boy")
                    .character("Sam", "")
                    .moral("being brave")
                    .build();
            for (StoryRequest r : List.of(samFirst, samSecond)) {
              String text = String.join("\n\n", writer(r, seed).write().paragraphs());
              assertThat(text)
                  .as("%s %s %s seed %d", theme.id(), age.label(), length, seed)
                  .doesNotContainPattern(THEY_SPEAKS)
                  .contains("Sam");
              stories++;
            }
          }
        }
      }
    }
    assertThat(stories).isEqualTo(10 * 3 * 3 * 8 * 2);
  }
}
