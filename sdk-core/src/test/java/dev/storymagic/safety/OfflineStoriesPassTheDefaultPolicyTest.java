package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.Prompt;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The built-in offline engine writes stories for children; the default classifier must let them
 * through at every age, or the default configuration would regenerate and fail ordinary stories.
 */
class OfflineStoriesPassTheDefaultPolicyTest {
  private static final String[][] CHARACTERS = {
    {"Mia", "a curious girl who loves stars"},
    {"Bolt", "a small friendly robot"},
    {"Leo", "a brave little lion"},
    {"Pip", "a shy mouse who likes cheese"},
    {"Zara", "a clever princess who builds machines"},
    {"Finn", "a dragon who is afraid of the dark"},
    {"Ruby", "a pirate girl with a parrot"},
    {"Oscar", "a grumpy old tortoise"},
    {"Nia", "a girl who wants to be an astronaut"},
    {"Tom", "a boy who lost his red kite"}
  };
  private static final String[] SETTINGS = {
    "", "a snowy mountain village", "a busy city park", "a tiny island"
  };
  private static final String[] MORALS = {
    "", "sharing", "telling the truth", "being patient", "helping others"
  };

  @Test
  void aThousandOfflineStoriesAcrossThemesAndAgesPassTheDefaultPolicy() {
    OfflineStoryModel model = OfflineStoryModel.create();
    LocalSafetyClassifier classifier = LocalSafetyClassifier.create();
    List<Theme> themes = ThemeCatalog.defaults().all();
    SplittableRandom random = new SplittableRandom(20_240_611);
    Prompt prompt =
        new Prompt(List.of(new ChatMessage(ChatMessage.Role.SYSTEM, "offline")), "test");
    List<String> blocked = new ArrayList<>();
    int stories = 0;
    for (int i = 0; i < 1_000; i++) {
      Theme theme = themes.get(i % themes.size());
      AgeGroup age = AgeGroup.values()[(i / themes.size()) % AgeGroup.values().length];
      StoryLength length = StoryLength.values()[random.nextInt(StoryLength.values().length)];
      StoryRequest.Builder b =
          StoryRequest.builder().theme(theme.id()).ageGroup(age).length(length);
      int characters = random.nextInt(3);
      for (int c = 0; c < characters; c++) {
        String[] ch = CHARACTERS[random.nextInt(CHARACTERS.length)];
        b.character(ch[0], ch[1]);
      }
      String setting = SETTINGS[random.nextInt(SETTINGS.length)];
      String moral = MORALS[random.nextInt(MORALS.length)];
      StoryRequest request =
          b.setting(setting.isEmpty() ? null : setting)
              .moral(moral.isEmpty() ? null : moral)
              .build();
      ModelResponse response =
          model.generate(
              new ModelRequest(prompt, request, theme, length.band(age), random.nextLong(), 1));
      stories++;
      String text = response.title() + "\n\n" + response.text();
      SafetyVerdict verdict =
          classifier.check(
              text, new SafetyContext(SafetyStage.OUTPUT, age, SafetyPolicy.defaults()));
      if (verdict.blocked()) {
        StringBuilder why = new StringBuilder(theme.id() + " " + age.label() + ":");
        verdict
            .violations()
            .forEach(
                f ->
                    why.append(" [")
                        .append(f.category().label())
                        .append(' ')
                        .append(f.severity())
                        .append(" '")
                        .append(text, f.start(), f.end())
                        .append("']"));
        blocked.add(why.toString());
      }
    }
    assertThat(stories).isEqualTo(1_000);
    assertThat(blocked).as("offline stories blocked by the default policy").isEmpty();
  }
}
