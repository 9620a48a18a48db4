package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import org.junit.jupiter.api.Test;

/** Rules that match two phrases near each other, in order, unless a negation sits between them. */
class NearRulesTest {
  private static final LocalSafetyClassifier classifier = LocalSafetyClassifier.create();

  private static boolean threatens(String text) {
    return classifier
        .check(
            text,
            new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_9_12, SafetyPolicy.defaults()))
        .findings()
        .stream()
        .map(SafetyFinding::category)
        .anyMatch(c -> c == SafetyCategory.HARASSMENT_THREATENING);
  }

  @Test
  void aThreatIsFoundWhenBothPartsAreCloseAndInOrder() {
    assertThat(threatens("The giant roared: I will hurt you.")).isTrue();
  }

  @Test
  void aNegationBetweenThePartsMeansNoThreat() {
    assertThat(threatens("The giant smiled: I will never hurt you.")).isFalse();
  }

  @Test
  void partsInOtherSentencesOrFarApartAreNoThreat() {
    String filler =
        "The sun rose over the quiet valley and the birds sang their morning songs together. ";
    assertThat(threatens("I will bake a cake. " + filler.repeat(40) + "Nothing can hurt you here."))
        .isFalse();
    assertThat(
            threatens(
                "I will walk along the river and across the bridge and up the hill to hurt you"))
        .isFalse();
  }

  @Test
  void manyDistantPartsInOneLongTextAreAllChecked() {
    // Every "I will" is followed, much later and after a negation, by "hurt you": none is a threat,
    // and the one close pair at the end still is.
    String paragraph =
        "I will sing. Nobody here is sad, and the bears never hurt you in this wood. ";
    String text = paragraph.repeat(200) + "Then the troll said: I will hurt you.";
    assertThat(threatens(paragraph.repeat(200))).isFalse();
    assertThat(threatens(text)).isTrue();
  }
}
