package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.WordBand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityChecksTest {
  private static final WordBand BAND = new WordBand(150, 300);
  private static final String ENGLISH =
      "Mia looked up at the night sky and saw a tiny star. It was sad because it "
          + "had no friends. She and her robot built a ladder of moonbeams and they climbed up to help the star get home.";

  private static QualityChecks.Draft draft(String title, String text, String language) {
    return new QualityChecks.Draft(
        title,
        List.of(text, text, text, text, text, text),
        BAND,
        AgeGroup.AGES_6_8,
        language,
        true);
  }

  @Test
  void theHardChecksAreNamedAndAGoodStoryPassesThemAll() {
    assertThat(QualityChecks.HARD)
        .extracting(QualityChecks.Check::name)
        .containsExactly("title", "length", "structure", "language", "seam");
    assertThat(QualityChecks.hardProblems(draft("Mia and the Star", ENGLISH, "en"))).isEmpty();
  }

  @Test
  void oneMoreCheckIsOneMoreEntry() {
    List<QualityChecks.Check> checks = new ArrayList<>(QualityChecks.HARD);
    checks.add(
        new QualityChecks.Check(
            "extra", d -> d.text().contains("Mia") ? Optional.of("broken") : Optional.empty()));
    assertThat(QualityChecks.hardProblems(draft("T", ENGLISH, "en"), checks))
        .containsExactly("extra: broken");
  }

  @Test
  void structureLeaksAreFound() {
    assertThat(QualityChecks.structure(draft("T", "```json\n" + ENGLISH, "en")))
        .contains("the text contains a Markdown code fence");
    assertThat(QualityChecks.structure(draft("T", "<|im_start|>assistant " + ENGLISH, "en")))
        .contains("the text contains chat-template markup");
    assertThat(QualityChecks.structure(draft("T", "## Chapter one\n" + ENGLISH, "en")))
        .contains("the text contains Markdown headings");
    assertThat(QualityChecks.structure(draft("T", "[\"" + ENGLISH + "\"]", "en")))
        .contains("the text is JSON, not a story");
    assertThat(
            QualityChecks.structure(draft("T", "Mia said: \"Look, a {star}!\" " + ENGLISH, "en")))
        .isEmpty();
  }

  @Test
  void languageIsJudgedOnlyOnClearEvidence() {
    assertThat(LanguageCheck.mismatch(ENGLISH + " " + ENGLISH, "en")).isEmpty();
    assertThat(LanguageCheck.mismatch(ENGLISH + " " + ENGLISH, "pt-BR"))
        .contains("the text reads as 'en', not the requested 'pt-BR'");
    assertThat(LanguageCheck.mismatch(ENGLISH, "ru")).get().asString().contains("cyrillic");
    assertThat(LanguageCheck.mismatch("Маша посмотрела на небо и увидела маленькую звезду.", "ru"))
        .isEmpty();
    assertThat(LanguageCheck.mismatch(ENGLISH + " " + ENGLISH, "sw"))
        .as("unknown languages pass")
        .isEmpty();
    assertThat(LanguageCheck.mismatch("Mia ran.", "de")).as("too short to judge").isEmpty();
  }

  @Test
  void lengthUnderHalfTheBandIsHardButJustUnderTheBandIsNot() {
    assertThat(
            QualityChecks.length(
                new QualityChecks.Draft("T", List.of(), BAND, AgeGroup.AGES_6_8, "en", true)))
        .contains("the story is empty");
    String seventyFour = "word ".repeat(74);
    assertThat(
            QualityChecks.length(
                new QualityChecks.Draft(
                    "T", List.of(seventyFour), BAND, AgeGroup.AGES_6_8, "en", true)))
        .contains("only 74 words, under half of the requested 150-300 words");
    assertThat(
            QualityChecks.length(
                new QualityChecks.Draft(
                    "T", List.of("word ".repeat(75)), BAND, AgeGroup.AGES_6_8, "en", true)))
        .isEmpty();
  }
}
