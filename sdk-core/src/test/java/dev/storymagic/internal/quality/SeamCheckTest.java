package dev.storymagic.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.WordBand;
import dev.storymagic.internal.QualityChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeamCheckTest {

  @Test
  void ordinaryProseHasNoSeams() {
    assertThat(
            SeamCheck.find(
                "Mia was a curious girl. She met an owl, a unicorn and a one-eyed cat in an hour. "
                    + "\"Bye bye!\" said Leo, as if it were a game. Were they happy? They were. Knock knock. An MRI, a European."))
        .isEmpty();
  }

  @Test
  void seamsOfPastedTextAreFound() {
    assertThat(SeamCheck.find("Luna was a she is a brave girl."))
        .singleElement()
        .asString()
        .startsWith("an article before 'she'");
    assertThat(SeamCheck.find("They went to the the park."))
        .singleElement()
        .asString()
        .startsWith("a doubled word");
    assertThat(SeamCheck.find("The Twins said they was tired."))
        .singleElement()
        .asString()
        .startsWith("'they was'");
    assertThat(SeamCheck.find("He were there.")).singleElement().asString().startsWith("'he were'");
    assertThat(SeamCheck.find("It was a owl."))
        .singleElement()
        .asString()
        .startsWith("'a' before a vowel sound");
    assertThat(SeamCheck.find("It was an dog."))
        .singleElement()
        .asString()
        .startsWith("'an' before a consonant");
    assertThat(SeamCheck.find("Mia smiled ."))
        .singleElement()
        .asString()
        .startsWith("a space out of place");
  }

  @Test
  void wordsAreComparedIgnoringCaseAndTheTypographicApostrophe() {
    assertThat(SeamCheck.find("They wasn\u2019t home. THE the end. Was it were? As if it were."))
        .containsExactly(
            "'they wasn't': 'They wasn\u2019t home. THE the end.'",
            "a doubled word: 'They wasn\u2019t home. THE the end. Was it were? A'");
    assertThat(SeamCheck.find("An hour, an honest owl and a one-eyed ewe met a European."))
        .isEmpty();
    assertThat(SeamCheck.find("It was a unique egg, an umbrella and a usual day.")).isEmpty();
  }

  @Test
  void theQualityGateReportsSeamsAsAHardProblem() {
    QualityChecks.Draft draft =
        new QualityChecks.Draft(
            "Mia and the Star",
            List.of(
                "Mia was a she is a brave girl. Then the the star fell. They was sad. It was a owl."),
            new WordBand(10, 100),
            AgeGroup.AGES_6_8,
            "en",
            false);
    assertThat(QualityChecks.hardProblems(draft))
        .singleElement()
        .asString()
        .startsWith("seam: an article before 'she'")
        .endsWith("and 1 more");
    assertThat(
            SeamCheck.problem(
                new QualityChecks.Draft(
                    "T",
                    List.of("Mia was a brave girl."),
                    new WordBand(1, 100),
                    AgeGroup.AGES_6_8,
                    "en",
                    false)))
        .isEmpty();
  }
}
