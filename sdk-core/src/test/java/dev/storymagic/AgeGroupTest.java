package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgeGroupTest {
  @Test
  void parsesLabelsAndNamesWhateverTheirCaseAndSurroundingSpace() {
    assertThat(AgeGroup.parse("3-5")).hasValue(AgeGroup.AGES_3_5);
    assertThat(AgeGroup.parse(" 9-12 ")).hasValue(AgeGroup.AGES_9_12);
    assertThat(AgeGroup.parse("AGES_6_8")).hasValue(AgeGroup.AGES_6_8);
    assertThat(AgeGroup.parse("ages_6_8")).hasValue(AgeGroup.AGES_6_8);
    assertThat(AgeGroup.parse("\tAges_9_12\n")).hasValue(AgeGroup.AGES_9_12);
  }

  @Test
  void anythingElseIsNoAgeGroup() {
    assertThat(AgeGroup.parse(null)).isEmpty();
    assertThat(AgeGroup.parse("")).isEmpty();
    assertThat(AgeGroup.parse("6–8")).isEmpty(); // an en dash, not a hyphen
    assertThat(AgeGroup.parse("6-9")).isEmpty();
    assertThat(AgeGroup.parse("AGES 6 8")).isEmpty();
  }
}
