package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.LocalSafetyClassifier;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyContext;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyStage;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
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

  /** Columns: text, allowed for 3-5, for 6-8, for 9-12. */
  @ParameterizedTest(name = "{0}: {1} {2} {3}")
  @CsvSource(delimiter = '|', value = {
      "The knight and the dragon fought.|false|true|true",
      "The wolf growled and chased the rabbits.|false|true|true",
      "A friendly ghost lived in the haunted mill.|false|true|true",
      "The old king died peacefully in his sleep.|false|true|true",
      "The dragon kidnapped the princess.|false|true|true",
      "The hero punched the troll on the nose.|false|false|true",
      "In the legend, the hunter killed the dragon.|false|false|true",
      "The crew found a zombie in the hold.|false|false|true",
      "The king raised a goblet of wine.|false|false|true",
      "The pirate got drunk on rum.|false|false|false",
      "He stabbed the man to death.|false|false|false",
      "Blood gushed from the wound.|false|false|false",
      "The demon possessed the girl and a satanic ritual began.|false|false|false",
      "They had sex.|false|false|false",
      "What the hell!|false|false|false",
      "Mia shared her cocoa with the lost star.|true|true|true"
  })
  void defaultPolicyGrowsMorePermissiveWithAgeForMildConflictAndSpookiness(String text, boolean ages3to5,
      boolean ages6to8, boolean ages9to12) {
    assertThat(allowed(text, AgeGroup.AGES_3_5)).as("3-5: %s", text).isEqualTo(ages3to5);
    assertThat(allowed(text, AgeGroup.AGES_6_8)).as("6-8: %s", text).isEqualTo(ages6to8);
    assertThat(allowed(text, AgeGroup.AGES_9_12)).as("9-12: %s", text).isEqualTo(ages9to12);
  }

  @Test
  void findingsBelowTheThresholdAreReportedButDoNotBlock() {
    SafetyVerdict verdict = story("The knight and the dragon fought.", AgeGroup.AGES_9_12, SafetyPolicy.defaults());
    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.findings()).singleElement().satisfies(f -> {
      assertThat(f.category()).isEqualTo(SafetyCategory.VIOLENCE);
      assertThat(f.severity()).isEqualTo(Severity.LOW);
      assertThat(f.blocking()).isFalse();
    });
  }

  @Test
  void anApplicationPolicyDecidesWhatBlocksAndNamesItsVersion() {
    SafetyPolicy gentle = SafetyPolicy.builder().version("bedtime-2")
        .blockFrom(AgeGroup.AGES_9_12, SafetyCategory.VIOLENCE, Severity.LOW)
        .allow(AgeGroup.AGES_3_5, SafetyCategory.FRIGHTENING)
        .build();
    SafetyVerdict fight = story("The knight and the dragon fought.", AgeGroup.AGES_9_12, gentle);
    assertThat(fight.violationTypes()).containsExactly(SafetyCategory.VIOLENCE);
    assertThat(fight.policyVersion()).isEqualTo("bedtime-2");
    assertThat(story("A friendly ghost waved from the window.", AgeGroup.AGES_3_5, gentle).allowed()).isTrue();
    assertThat(story("A friendly ghost waved from the window.", AgeGroup.AGES_3_5, SafetyPolicy.defaults()).allowed())
        .isFalse();
  }

  @Test
  void defaultsBlockEveryCategoryAtLowExceptTheAgeGradedOnes() {
    SafetyPolicy p = SafetyPolicy.defaults();
    for (AgeGroup age : AgeGroup.values()) {
      for (SafetyCategory c : SafetyCategory.values()) {
        Severity expected = Severity.LOW;
        if (c == SafetyCategory.VIOLENCE || c == SafetyCategory.FRIGHTENING) {
          expected = age == AgeGroup.AGES_3_5 ? Severity.LOW : age == AgeGroup.AGES_6_8 ? Severity.MEDIUM : Severity.HIGH;
        } else if (c == SafetyCategory.ILLICIT && age == AgeGroup.AGES_9_12) {
          expected = Severity.MEDIUM;
        }
        assertThat(p.blockingSeverity(age, c)).as("%s %s", age, c).contains(expected);
      }
    }
    assertThat(p.version()).isEqualTo("default-1");
    assertThat(p.maxOutputAttempts()).isEqualTo(3);
  }

  @Test
  void aCustomisedPolicyWithoutAVersionIsRejected() {
    assertThatThrownBy(() -> SafetyPolicy.builder().allow(AgeGroup.AGES_9_12, SafetyCategory.PROFANITY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a customised safety policy needs a version (it is part of the cache key)");
  }
}
