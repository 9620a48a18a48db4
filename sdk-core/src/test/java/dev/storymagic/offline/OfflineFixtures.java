package dev.storymagic.offline;

import dev.storymagic.AgeGroup;
import dev.storymagic.QualityReport;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.WordBand;
import dev.storymagic.internal.Readability;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Requests, themes and checks shared by the offline engine's tests. */
final class OfflineFixtures {
  private OfflineFixtures() {}

  static final OfflineStoryModel MODEL = OfflineStoryModel.create();

  /** An app-defined theme the engine has no material for. */
  static final Theme ROBOTS =
      new Theme(
          "robots",
          "Robot friends",
          "Friendly robots who help around town.",
          "Robots are kind helpers.");

  static List<Theme> allThemes() {
    List<Theme> themes = new ArrayList<>(ThemeCatalog.defaults().all());
    themes.add(ROBOTS);
    return themes;
  }

  static Theme theme(String id) {
    return id.equals(ROBOTS.id()) ? ROBOTS : ThemeCatalog.defaults().find(id).orElseThrow();
  }

  /** Every theme (the built-in ten and an app-defined one) × age group × length. */
  static Stream<Arguments> everyThemeAgeAndLength() {
    List<Arguments> out = new ArrayList<>();
    for (Theme t : allThemes()) {
      for (AgeGroup age : AgeGroup.values()) {
        for (StoryLength length : StoryLength.values()) {
          out.add(Arguments.of(t.id(), age, length));
        }
      }
    }
    return out.stream();
  }

  /** A typical request: one described character, a moral and a setting. */
  static StoryRequest mia(String theme, AgeGroup age, StoryLength length) {
    return StoryRequest.builder()
        .theme(theme)
        .ageGroup(age)
        .length(length)
        .character("Mia", "a curious girl who loves stars")
        .setting("a lighthouse by the sea")
        .moral("sharing")
        .build();
  }

  /**
   * A demanding request: four characters with long names and descriptions, an idea, a long moral.
   */
  static StoryRequest crowd(String theme, AgeGroup age, StoryLength length) {
    return StoryRequest.builder()
        .theme(theme)
        .ageGroup(age)
        .length(length)
        .character("Alexander", "an adventurous, imaginative explorer")
        .character("Isabella", "a thoughtful inventor who builds clever machines")
        .character("Sam", "loves to dance")
        .character("Ava", "")
        .setting("under the sea")
        .moral("friends help each other")
        .idea("a cat who finds a rainbow")
        .build();
  }

  /** A request with nothing but a theme. */
  static StoryRequest bare(String theme, AgeGroup age, StoryLength length) {
    return StoryRequest.builder().theme(theme).ageGroup(age).length(length).build();
  }

  static ModelRequest modelRequest(StoryRequest story, long seed, int attempt) {
    WordBand band = story.length().band(story.ageGroup());
    Prompt prompt =
        new Prompt(
            List.of(
                new ChatMessage(ChatMessage.Role.SYSTEM, "system"),
                new ChatMessage(ChatMessage.Role.USER, "user")),
            "test");
    return new ModelRequest(prompt, story, theme(story.theme()), band, seed, attempt);
  }

  static ModelResponse generate(StoryRequest story, long seed) {
    return MODEL.generate(modelRequest(story, seed, 1));
  }

  /** The quality report exactly as the pipeline computes it. */
  static QualityReport quality(StoryRequest story, ModelResponse response) {
    String body = response.text();
    WordBand band = story.length().band(story.ageGroup());
    return new QualityReport(
        Readability.wordCount(body),
        band,
        Math.round(Readability.fleschKincaidGrade(body) * 10) / 10.0,
        story.ageGroup(),
        !response.title().isBlank());
  }
}
