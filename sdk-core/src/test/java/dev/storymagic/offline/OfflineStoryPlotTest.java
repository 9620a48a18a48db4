package dev.storymagic.offline;

import static dev.storymagic.offline.OfflineFixtures.generate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.internal.offline.OfflineStoryEngine;
import dev.storymagic.internal.quality.SeamCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plot follows the request: the moral is acted out before it is named, a trait solves it,
 * searches are few.
 */
class OfflineStoryPlotTest {
  private static final List<String> ORDINALS =
      List.of(
          "First,",
          "Next,",
          "After that,",
          "Last of all,",
          "Finally,",
          "The first place",
          "Their search began",
          "Their last hope");

  private static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String p : text.split("\n\n")) {
      out.addAll(OfflineStoryEngine.sentences(p));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(AgeGroup.class)
  void noSentenceIsWrittenTwiceAndSearchOrdinalsComeInOrder(AgeGroup age) {
    for (Theme theme : OfflineFixtures.allThemes()) {
      for (long seed = 0; seed < 10; seed++) {
        String text = generate(OfflineFixtures.mia(theme.id(), age, StoryLength.LONG), seed).text();
        List<String> sentences = sentences(text);
        assertThat(new HashSet<>(sentences))
            .as("%s seed %d", theme.id(), seed)
            .hasSameSizeAs(sentences);
        int first = text.indexOf("First,");
        int last =
            Math.max(
                text.indexOf("Last of all,"),
                Math.max(text.indexOf("Finally,"), text.indexOf("Their last hope")));
        if (first >= 0 && last >= 0) {
          assertThat(first).as("'First' before the last search in %s", theme.id()).isLessThan(last);
        }
        long searches =
            sentences.stream().filter(s -> ORDINALS.stream().anyMatch(s::startsWith)).count();
        assertThat(searches)
            .as("search scenes in %s seed %d", theme.id(), seed)
            .isLessThanOrEqualTo(3);
      }
    }
  }

  @Test
  void theMoralIsActedOutBeforeItIsNamed() {
    String[][] morals = {
      {"always tell the truth", "sorry|fault|admitted"},
      {"sharing", "shared|some|have some|share"},
      {"being patient", "waited"},
      {"never give up", "one more|once more|again"},
      {"being brave", "first"}
    };
    for (String[] moral : morals) {
      for (AgeGroup age : AgeGroup.values()) {
        for (long seed = 0; seed < 5; seed++) {
          String text =
              generate(
                      StoryRequest.builder()
                          .theme("forest")
                          .ageGroup(age)
                          .length(StoryLength.MEDIUM)
                          .character("Mia", "a curious girl")
                          .moral(moral[0])
                          .build(),
                      seed)
                  .text()
                  .toLowerCase(Locale.ROOT);
          int named = text.lastIndexOf(moral[0]);
          assertThat(named)
              .as("%s named, ages %s", moral[0], age.label())
              .isGreaterThan(text.length() * 3 / 4);
          boolean acted = false;
          for (String act : moral[1].split("\\|")) {
            int at = text.indexOf(act);
            acted |= at >= 0 && at < named;
          }
          assertThat(acted)
              .as(
                  "'%s' acted out before it is named, ages %s, seed %d:%n%s",
                  moral[0], age.label(), seed, text)
              .isTrue();
        }
      }
    }
  }

  @Test
  void aCharactersTraitSolvesTheProblem() {
    for (AgeGroup age : AgeGroup.values()) {
      for (long seed = 0; seed < 10; seed++) {
        String text =
            generate(
                    StoryRequest.builder()
                        .theme("space")
                        .ageGroup(age)
                        .length(StoryLength.SHORT)
                        .character("Mia", "a curious girl")
                        .character("Leo", "a boy who plays the drums")
                        .build(),
                    seed)
                .text();
        String lastPart = text.substring(text.length() * 2 / 5).toLowerCase(Locale.ROOT);
        assertThat(lastPart)
            .as("ages %s seed %d", age.label(), seed)
            .containsPattern("drum|beat|rhythm|boom");
      }
    }
  }

  @Test
  void aSettingTheCallerNamesIsWhereTheAdventureHappensAndTheThemesSceneryStaysOut() {
    for (long seed = 0; seed < 20; seed++) {
      String text =
          generate(
                  StoryRequest.builder()
                      .theme("space")
                      .ageGroup(AgeGroup.AGES_9_12)
                      .length(StoryLength.LONG)
                      .character("Mia", "")
                      .setting("Grandma's garden")
                      .build(),
                  seed)
              .text();
      assertThat(text)
          .contains("in Grandma's garden")
          .doesNotContain("lived in Grandma's garden")
          .doesNotContain("galaxy")
          .doesNotContain("floating rocks")
          .doesNotContain("Earth");
    }
  }

  @Test
  void oddInputsReadAsLanguage() {
    assertThat(story(AgeGroup.AGES_6_8, "Princess Luna", "she is a brave girl", null))
        .contains("Princess Luna was a brave girl")
        .doesNotContain("was a she");
    String twins = story(AgeGroup.AGES_9_12, "The Twins", "two sisters who love to climb", null);
    assertThat(twins)
        .contains("The Twins were two sisters who loved to climb")
        .doesNotContain("Twins was")
        .doesNotContain("Twins's");
    assertThat(story(AgeGroup.AGES_6_8, "luna", "a small owl", null))
        .contains("Luna")
        .doesNotContainPattern("\\bluna\\b");
    assertThat(story(AgeGroup.AGES_6_8, "Mia", "", "under my bed"))
        .contains("under Mia's bed")
        .doesNotContainPattern("\\bmy bed\\b");
    String captain =
        story(
            AgeGroup.AGES_9_12,
            "Captain Bartholomew Fitzgerald the Third",
            "a retired sea captain",
            null);
    for (String one : captain.split("\n\n\n")) {
      assertThat(one.split("Bartholomew Fitzgerald", -1).length - 1)
          .as("full name mentions")
          .isLessThanOrEqualTo(2);
    }
    assertThat(captain).contains("Captain Bartholomew");
    String doctor =
        story(AgeGroup.AGES_3_5, "Dr. Pepperpot", "a kind inventor who fixes toys", null);
    assertThat(OfflineStoryEngine.sentences(doctor.replace("\n\n", " ")))
        .noneMatch(s -> s.endsWith("Dr."));
    assertThat(story(AgeGroup.AGES_6_8, "Pip", "a tiny mouse. He loves cheese.", null))
        .contains("Pip was a tiny mouse who loved cheese");
    for (String[] odd :
        new String[][] {
          {"Max", "he likes trucks"},
          {"Kai and Noor", "best friends"},
          {"ELLA", "a loud singer"},
          {"The Bunnies", ""}
        }) {
      for (AgeGroup age : AgeGroup.values()) {
        String text = story(age, odd[0], odd[1], null);
        assertThat(SeamCheck.find(text)).as("%s, ages %s", odd[0], age.label()).isEmpty();
      }
    }
  }

  private static String story(AgeGroup age, String name, String description, String setting) {
    StringBuilder all = new StringBuilder();
    for (long seed = 0; seed < 3; seed++) {
      all.append(
              generate(
                      StoryRequest.builder()
                          .theme("forest")
                          .ageGroup(age)
                          .length(StoryLength.LONG)
                          .character(name, description)
                          .setting(setting)
                          .build(),
                      seed)
                  .text())
          .append("\n\n\n");
    }
    return all.toString();
  }

  @Test
  void fiveSeedsOfOneRequestShareFewSentences() {
    List<Set<String>> stories = new ArrayList<>();
    for (long seed = 0; seed < 5; seed++) {
      stories.add(
          new HashSet<>(
              sentences(
                  generate(
                          OfflineFixtures.mia("ocean", AgeGroup.AGES_6_8, StoryLength.MEDIUM), seed)
                      .text())));
    }
    for (int i = 0; i < stories.size(); i++) {
      for (int j = i + 1; j < stories.size(); j++) {
        Set<String> both = new HashSet<>(stories.get(i));
        both.retainAll(stories.get(j));
        Set<String> either = new HashSet<>(stories.get(i));
        either.addAll(stories.get(j));
        assertThat((double) both.size() / either.size())
            .as("sentence overlap of seeds %d and %d", i, j)
            .isLessThan(0.2);
      }
    }
  }
}
