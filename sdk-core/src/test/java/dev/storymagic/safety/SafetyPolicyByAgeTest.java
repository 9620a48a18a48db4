package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetyPolicyByAgeTest {
  private static final LocalSafetyClassifier classifier = LocalSafetyClassifier.create();

  private static SafetyVerdict story(String text, AgeGroup age, SafetyPolicy policy) {
    return classifier.check(text, new SafetyContext(SafetyStage.OUTPUT, age, policy));
  }

  private static boolean allowed(String text, AgeGroup age) {
    return story(text, age, SafetyPolicy.defaults()).allowed();
  }

  /**
   * Columns: text, allowed for 3-5, for 6-8, for 9-12. A single ordinary story word (fought,
   * growled, chased, ghost, died, kidnapped) no longer blocks the youngest readers on its own: it
   * is evidence below every age group's threshold.
   */
  @ParameterizedTest(name = "{0}: {1} {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "The knight and the dragon fought.|true|true|true",
        "The wolf growled and chased the rabbits.|true|true|true",
        "A friendly ghost lived in the haunted mill.|true|true|true",
        "The old king died peacefully in his sleep.|true|true|true",
        "The dragon kidnapped the princess.|true|true|true",
        "The children screamed and hid from the scary storm.|true|true|true",
        "The mouse was trapped, and the cat was dead tired.|true|true|true",
        "The hero punched the troll on the nose.|false|true|true",
        "In the legend, the hunter killed the dragon.|false|true|true",
        "The woodcutter killed the robber with his axe.|false|true|true",
        "The king cut off her head.|false|false|true",
        "Then he flayed the skin off his horse.|false|false|true",
        "The giant dashed his brains out on the stone.|false|false|true",
        "He blew his brains out.|false|false|false",
        "The crew found a zombie in the hold.|false|false|true",
        "The king raised a goblet of wine.|true|true|true",
        "Little Red Riding Hood took cake and wine to her grandmother.|true|true|true",
        "The pirate got drunk on rum.|false|false|false",
        "He stabbed the man to death.|false|false|false",
        "Blood gushed from the wound.|false|false|false",
        "The demon possessed the girl and a satanic ritual began.|false|false|false",
        "They had sex.|false|false|false",
        "What the hell!|false|false|false",
        "Mia shared her cocoa with the lost star.|true|true|true"
      })
  void defaultPolicyGrowsMorePermissiveWithAgeForConflictAndSpookiness(
      String text, boolean ages3to5, boolean ages6to8, boolean ages9to12) {
    assertThat(allowed(text, AgeGroup.AGES_3_5)).as("3-5: %s", text).isEqualTo(ages3to5);
    assertThat(allowed(text, AgeGroup.AGES_6_8)).as("6-8: %s", text).isEqualTo(ages6to8);
    assertThat(allowed(text, AgeGroup.AGES_9_12)).as("9-12: %s", text).isEqualTo(ages9to12);
  }

  @Test
  void oneAssessmentGivesTheVerdictOfEveryAgeGroup() {
    SafetyAssessment assessment =
        classifier.assess("In the legend, the hunter killed the dragon.", SafetyStage.OUTPUT);
    assertThat(assessment.findings()).isNotEmpty().noneMatch(SafetyFinding::blocking);
    for (AgeGroup age : AgeGroup.values()) {
      assertThat(assessment.verdict(age, SafetyPolicy.defaults()))
          .isEqualTo(
              story("In the legend, the hunter killed the dragon.", age, SafetyPolicy.defaults()));
    }
    assertThat(assessment.verdict(AgeGroup.AGES_3_5, SafetyPolicy.defaults()).blocked()).isTrue();
    assertThat(assessment.verdict(AgeGroup.AGES_9_12, SafetyPolicy.defaults()).blocked()).isFalse();
  }

  @Test
  void findingsBelowTheThresholdAreReportedButDoNotBlock() {
    SafetyVerdict verdict =
        story("The knight and the dragon fought.", AgeGroup.AGES_3_5, SafetyPolicy.defaults());
    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.category()).isEqualTo(SafetyCategory.VIOLENCE);
              assertThat(f.severity()).isEqualTo(Severity.LOW);
              assertThat(f.decisive()).isFalse();
              assertThat(f.score()).isGreaterThan(0).isLessThan(SafetyPolicy.DEFAULT_THRESHOLD);
              assertThat(f.blocking()).isFalse();
            });
  }

  @Test
  void decisiveFindingsBlockEveryAgeUnlessThePolicyAllowsTheCategory() {
    SafetyAssessment assessment = classifier.assess("They had sex.", SafetyStage.OUTPUT);
    assertThat(assessment.findings()).allMatch(SafetyFinding::decisive);
    SafetyPolicy open =
        SafetyPolicy.builder()
            .version("adults-1")
            .allow(AgeGroup.AGES_9_12, SafetyCategory.SEXUAL)
            .build();
    assertThat(assessment.verdict(AgeGroup.AGES_9_12, open).allowed()).isTrue();
    assertThat(assessment.verdict(AgeGroup.AGES_6_8, open).violationTypes())
        .containsExactly(SafetyCategory.SEXUAL);
    SafetyPolicy onlyCertain =
        SafetyPolicy.builder()
            .version("certain-1")
            .threshold(AgeGroup.AGES_9_12, SafetyCategory.SEXUAL, 1.0)
            .build();
    assertThat(assessment.verdict(AgeGroup.AGES_9_12, onlyCertain).blocked()).isTrue();
  }

  @Test
  void anApplicationPolicyDecidesWhatBlocksAndNamesItsVersion() {
    SafetyPolicy gentle =
        SafetyPolicy.builder()
            .version("bedtime-2")
            .threshold(AgeGroup.AGES_9_12, SafetyCategory.VIOLENCE, 0.2)
            .allow(AgeGroup.AGES_3_5, SafetyCategory.FRIGHTENING)
            .build();
    SafetyVerdict fight = story("The knight and the dragon fought.", AgeGroup.AGES_9_12, gentle);
    assertThat(fight.violationTypes()).containsExactly(SafetyCategory.VIOLENCE);
    assertThat(fight.policyVersion()).isEqualTo("bedtime-2");
    assertThat(story("The crew found a zombie in the hold.", AgeGroup.AGES_3_5, gentle).allowed())
        .isTrue();
    assertThat(
            story(
                    "The crew found a zombie in the hold.",
                    AgeGroup.AGES_3_5,
                    SafetyPolicy.defaults())
                .allowed())
        .isFalse();
  }

  @Test
  void defaultsBlockEveryCategoryFromOneHalfExceptTheAgeGradedOnes() {
    SafetyPolicy p = SafetyPolicy.defaults();
    for (AgeGroup age : AgeGroup.values()) {
      for (SafetyCategory c : SafetyCategory.values()) {
        double expected = 0.5;
        if (c == SafetyCategory.VIOLENCE
            || c == SafetyCategory.VIOLENCE_GRAPHIC
            || c == SafetyCategory.FRIGHTENING) {
          expected = age == AgeGroup.AGES_3_5 ? 0.5 : age == AgeGroup.AGES_6_8 ? 0.7 : 0.9;
        }
        assertThat(p.threshold(age, c)).as("%s %s", age, c).hasValue(expected);
        assertThat(p.blocks(age, c, expected)).isTrue();
        assertThat(p.blocks(age, c, Math.nextDown(expected))).isFalse();
      }
    }
    assertThat(p.version()).isEqualTo("default-2");
    assertThat(p.maxOutputAttempts()).isEqualTo(3);
  }

  @Test
  void anAllowedCategoryNeverBlocksAndThresholdsLieWithinZeroAndOne() {
    SafetyPolicy p =
        SafetyPolicy.builder()
            .version("x-1")
            .allow(AgeGroup.AGES_9_12, SafetyCategory.PROFANITY)
            .build();
    assertThat(p.threshold(AgeGroup.AGES_9_12, SafetyCategory.PROFANITY)).isEmpty();
    assertThat(p.blocks(AgeGroup.AGES_9_12, SafetyCategory.PROFANITY, 1.0)).isFalse();
    assertThat(
            p.toBuilder()
                .version("x-2")
                .build()
                .threshold(AgeGroup.AGES_9_12, SafetyCategory.PROFANITY))
        .isEmpty();
    for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(
              () -> SafetyPolicy.builder().threshold(AgeGroup.AGES_3_5, SafetyCategory.HATE, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("threshold must be within (0, 1]");
    }
  }

  @Test
  void aCustomisedPolicyWithoutAVersionIsRejected() {
    assertThatThrownBy(
            () ->
                SafetyPolicy.builder().allow(AgeGroup.AGES_9_12, SafetyCategory.PROFANITY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a customised safety policy needs a version (it is part of the cache key)");
  }
}
