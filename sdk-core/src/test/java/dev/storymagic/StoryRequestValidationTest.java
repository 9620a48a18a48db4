package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.ScriptedStoryModel;
import org.junit.jupiter.api.Test;

class StoryRequestValidationTest {
  private final ScriptedStoryModel model = ScriptedStoryModel.safe();
  private final StoryMagic magic =
      StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build();

  @Test
  void everyBadFieldIsReportedAtOnceAndTheModelIsNeverCalled() {
    StoryRequest request =
        StoryRequest.builder()
            .theme("zombies")
            .character("", "x")
            .character("A".repeat(41), "d".repeat(201))
            .character("C", "")
            .character("D", "")
            .character("E", "")
            .setting("s".repeat(201))
            .moral("m".repeat(121))
            .idea("i".repeat(501))
            .language("english please")
            .build();

    assertThatThrownBy(() -> magic.generate(request))
        .isInstanceOfSatisfying(
            StoryMagicException.InvalidRequest.class,
            e -> {
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactly(
                      "theme",
                      "characters",
                      "characters[0].name",
                      "characters[1].name",
                      "characters[1].description",
                      "setting",
                      "moral",
                      "idea",
                      "language");
              assertThat(e.errors().get(0).message())
                  .contains("unknown theme 'zombies'")
                  .contains("space");
              assertThat(e.errors().get(3).message()).isEqualTo("at most 40 characters, got 41");
              assertThat(e.code()).isEqualTo("invalid_request");
            });
    assertThat(model.calls()).isZero();
  }

  @Test
  void validRequestHasNoErrors() {
    StoryRequest request =
        StoryRequest.builder()
            .theme("ocean")
            .ageGroup(AgeGroup.AGES_3_5)
            .character("Nia", "a brave little fish")
            .language("pt-BR")
            .build();
    assertThat(magic.validate(request)).isEmpty();
  }

  @Test
  void appDefinedThemesAreAccepted() {
    ThemeCatalog catalog =
        ThemeCatalog.defaults()
            .with(
                new Theme(
                    "trains",
                    "Train rides",
                    "Steam and tracks.",
                    "A journey by train through the countryside."));
    try (StoryMagic custom =
        StoryMagic.builder()
            .model(model)
            .themes(catalog)
            .safety(SafetyFilter.passThrough())
            .build()) {
      Story story = custom.generate(StoryRequest.builder().theme("trains").build());
      assertThat(story.request().theme()).isEqualTo("trains");
      assertThat(model.requests().get(0).prompt().system())
          .contains("Train rides")
          .contains("countryside");
    }
  }

  @Test
  void themeCatalogHasAtLeastEightThemesWithGuidance() {
    assertThat(ThemeCatalog.defaults().all())
        .hasSizeGreaterThanOrEqualTo(8)
        .allSatisfy(t -> assertThat(t.promptGuidance()).isNotBlank());
  }

  @Test
  void buildingWithoutThemeNamesTheMissingField() {
    assertThatThrownBy(() -> StoryRequest.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("theme is required");
  }

  @Test
  void builderOptionsCannotBeSetTwice() {
    assertThatThrownBy(() -> StoryMagic.builder().model(model).model(model))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("model was already set");
  }
}
