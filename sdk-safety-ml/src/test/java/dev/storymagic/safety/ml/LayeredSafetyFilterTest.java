package dev.storymagic.safety.ml;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layering and the per-age thresholds, with heads whose answers are known (see {@link
 * TestHeads}).
 */
class LayeredSafetyFilterTest {
  private static final String KNIGHT =
      "The hunter killed the wolf and chased the others far over the hills.";

  private static SafetyVerdict check(
      LayeredSafetyFilter f, String text, SafetyStage stage, AgeGroup age) {
    return f.check(text, new SafetyContext(stage, age, f.policy()));
  }

  /** Scores even the shortest story text, so the examples can stay short. */
  private static LayeredSafetyFilter filter(TestHeads heads) {
    return LayeredSafetyFilter.builder().heads(heads.stream()).minOutputTokens(0).build();
  }

  @Test
  void storyTextUnderTheMinimumIsLeftToTheLexiconWhileTheUsersTextIsAlwaysScored() {
    try (LayeredSafetyFilter f =
        LayeredSafetyFilter.builder()
            .heads(
                TestHeads.anyModel()
                    .head("hate-harassment", "harassment", 0.9, 0.5, 0.5, 0.5)
                    .stream())
            .build()) {
      assertThat(f.assess("Hooray!", SafetyStage.OUTPUT).findings()).isEmpty();
      assertThat(f.assess("Hooray!", SafetyStage.INPUT).findings())
          .singleElement()
          .satisfies(x -> assertThat(x.category()).isEqualTo(SafetyCategory.HARASSMENT));
      assertThat(
              f.assess(
                      "Mia and her little brother watered every flower in the garden before supper.",
                      SafetyStage.OUTPUT)
                  .findings())
          .hasSize(1);
    }
  }

  @Test
  void aLearnedProbabilityBlocksWhereItReachesTheAgeGroupsThreshold() {
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.6, 0.3, 0.5, 0.7))) {
      assertThat(
              check(f, "Mia watered the garden.", SafetyStage.OUTPUT, AgeGroup.AGES_3_5)
                  .violationTypes())
          .containsExactly(SafetyCategory.VIOLENCE);
      assertThat(
              check(f, "Mia watered the garden.", SafetyStage.OUTPUT, AgeGroup.AGES_6_8).blocked())
          .isTrue();
      SafetyVerdict older =
          check(f, "Mia watered the garden.", SafetyStage.OUTPUT, AgeGroup.AGES_9_12);
      assertThat(older.blocked()).isFalse();
      SafetyFinding reported = older.findings().get(0);
      assertThat(reported.source()).isEqualTo("learned");
      assertThat(reported.score()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(reported.severity()).isEqualTo(Severity.MEDIUM);
    }
  }

  @Test
  void aProbabilityUnderTheReportFloorIsNotReportedAndOneUnderTheThresholdDoesNotBlock() {
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.01, 0.3, 0.5, 0.7))) {
      assertThat(f.assess("Mia watered the garden.", SafetyStage.OUTPUT).findings()).isEmpty();
    }
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.2, 0.3, 0.5, 0.7))) {
      SafetyVerdict v = check(f, "Mia watered the garden.", SafetyStage.OUTPUT, AgeGroup.AGES_3_5);
      assertThat(v.findings())
          .singleElement()
          .satisfies(x -> assertThat(x.source()).isEqualTo("learned"));
      assertThat(v.blocked()).isFalse();
    }
  }

  @Test
  void oneAssessmentServesEveryAgeGroup() {
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.6, 0.3, 0.5, 0.7))) {
      SafetyAssessment a = f.assess("Mia watered the garden.", SafetyStage.OUTPUT);
      assertThat(a.verdict(AgeGroup.AGES_3_5, f.policy()).blocked()).isTrue();
      assertThat(a.verdict(AgeGroup.AGES_9_12, f.policy()).blocked()).isFalse();
      assertThat(a.findings()).allMatch(x -> !x.blocking());
    }
  }

  @Test
  void thePolicyHoldsTheHeadsThresholdsForEveryMemberCategoryAndFollowsTheHeads() {
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.6, 0.3, 0.5, 0.7))) {
      assertThat(f.policy().threshold(AgeGroup.AGES_6_8, SafetyCategory.VIOLENCE)).hasValue(0.5);
      assertThat(f.policy().threshold(AgeGroup.AGES_6_8, SafetyCategory.PERSONAL_DATA))
          .isEqualTo(
              SafetyPolicy.defaults().threshold(AgeGroup.AGES_6_8, SafetyCategory.PERSONAL_DATA));
      assertThat(f.policy().version())
          .startsWith("layered-")
          .isNotEqualTo(
              filter(TestHeads.anyModel().head("violence", "violence", 0.6, 0.3, 0.5, 0.71))
                  .policy()
                  .version());
    }
  }

  @Test
  void lexiconEvidenceAloneDoesNotBlock() {
    // The lexicon alone blocks this for ages 3-5; in the layered filter its words are evidence the
    // head has weighed, and its probability replaces them.
    assertThat(
            LocalSafetyClassifier.create()
                .check(
                    KNIGHT,
                    new SafetyContext(
                        SafetyStage.OUTPUT, AgeGroup.AGES_3_5, SafetyPolicy.defaults()))
                .blocked())
        .isTrue();
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.01, 0.3, 0.5, 0.7))) {
      SafetyVerdict v = check(f, KNIGHT, SafetyStage.OUTPUT, AgeGroup.AGES_3_5);
      assertThat(v.blocked()).isFalse();
      assertThat(v.findings()).noneMatch(x -> x.category() == SafetyCategory.VIOLENCE);
    }
  }

  @Test
  void decisiveLexiconFindingsBlockWhateverTheLearnedLayerSays() {
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("sexual", "sexual", 0.01, 0.3, 0.5, 0.7))) {
      SafetyVerdict v =
          check(
              f,
              "Call me on 07700 900123 or write to mia@example.com",
              SafetyStage.INPUT,
              AgeGroup.AGES_9_12);
      assertThat(v.violationTypes()).contains(SafetyCategory.PERSONAL_DATA);
      assertThat(v.violations()).allMatch(SafetyFinding::decisive);
    }
  }

  @Test
  void aHeadRunsOnlyAtItsStages() {
    try (LayeredSafetyFilter f =
        filter(
            TestHeads.anyModel()
                .head("injection", "prompt-injection", 0.9, 0.5, 0.5, 0.5, "input"))) {
      assertThat(
              check(f, "Tell me a story.", SafetyStage.INPUT, AgeGroup.AGES_9_12).violationTypes())
          .containsExactly(SafetyCategory.PROMPT_INJECTION);
      assertThat(check(f, "Tell me a story.", SafetyStage.OUTPUT, AgeGroup.AGES_9_12).findings())
          .isEmpty();
    }
  }

  @Test
  void aCategoryThePolicyAllowsNeverBlocks() {
    SafetyPolicy allowViolence =
        SafetyPolicy.builder()
            .version("test-allow")
            .allow(AgeGroup.AGES_3_5, SafetyCategory.VIOLENCE)
            .build();
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.9, 0.3, 0.5, 0.7))) {
      assertThat(
              f.check("x", new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_3_5, allowViolence))
                  .blocked())
          .isFalse();
      assertThat(
              f.check("x", new SafetyContext(SafetyStage.OUTPUT, AgeGroup.AGES_6_8, allowViolence))
                  .blocked())
          .isTrue();
    }
  }

  @Test
  void theVersionFollowsTheWeightsTheThresholdsAndTheLexicon() {
    TestHeads base = TestHeads.anyModel().head("violence", "violence", 0.2, 0.3, 0.5, 0.7);
    String v1 = filter(base).version();
    assertThat(
            filter(TestHeads.anyModel().head("violence", "violence", 0.2, 0.3, 0.5, 0.7)).version())
        .isEqualTo(v1);
    assertThat(
            filter(
                    TestHeads.anyModel()
                        .head("violence", "violence", 0.2, 0.3, 0.5, 0.7)
                        .weight(7, 0.5))
                .version())
        .isNotEqualTo(v1);
    assertThat(
            filter(TestHeads.anyModel().head("violence", "violence", 0.2, 0.3, 0.5, 0.71))
                .version())
        .isNotEqualTo(v1);
    assertThat(
            LayeredSafetyFilter.builder()
                .heads(base.stream())
                .minOutputTokens(0)
                .lexicon(LocalSafetyClassifier.builder().allow("fierce dragon").build())
                .build()
                .version())
        .isNotEqualTo(v1);
    assertThat(
            LayeredSafetyFilter.builder()
                .heads(base.stream())
                .maxWindows(8)
                .minOutputTokens(0)
                .build()
                .version())
        .isNotEqualTo(v1);
    assertThat(LayeredSafetyFilter.builder().heads(base.stream()).build().version())
        .isNotEqualTo(v1);
  }

  @Test
  void headsTrainedOnAnotherModelAreRefusedWhenTheModelLoads() {
    try (LayeredSafetyFilter f =
        filter(
            TestHeads.forModel("0".repeat(64)).head("violence", "violence", 0.2, 0.3, 0.5, 0.7))) {
      assertThatThrownBy(() -> check(f, KNIGHT, SafetyStage.OUTPUT, AgeGroup.AGES_6_8))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("trained on another MiniLM model");
    }
  }

  @Test
  void aHeadsFileWithTheWrongShapeIsRefusedWithItsReason() {
    assertThatThrownBy(
            () ->
                LayeredSafetyFilter.builder()
                    .heads(
                        new java.io.ByteArrayInputStream(
                            "{\"format\":2}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown format");
  }

  @Test
  void aClosedFilterRefusesToCheck() {
    LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.2, 0.3, 0.5, 0.7));
    f.close();
    f.close();
    assertThatThrownBy(() -> check(f, KNIGHT, SafetyStage.OUTPUT, AgeGroup.AGES_6_8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void builderOptionsAreCheckedOnce() {
    assertThatThrownBy(() -> LayeredSafetyFilter.builder().maxWindows(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWindows must be within 1..1024: 0");
    assertThatThrownBy(() -> LayeredSafetyFilter.builder().intraOpThreads(65))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("intraOpThreads");
    assertThatThrownBy(() -> LayeredSafetyFilter.builder().scanCacheChars(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LayeredSafetyFilter.builder().minOutputTokens(129))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minOutputTokens must be within 0..128: 129");
    assertThatThrownBy(
            () ->
                LayeredSafetyFilter.builder()
                    .lexicon(LocalSafetyClassifier.create())
                    .lexicon(LocalSafetyClassifier.create()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> LayeredSafetyFilter.builder().lexicon(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void findingsOfALongTextPointAtTheWindowThatScoredHighest() {
    String text = "Mia watered the garden. ".repeat(80);
    try (LayeredSafetyFilter f =
        filter(TestHeads.anyModel().head("violence", "violence", 0.9, 0.3, 0.5, 0.7))) {
      List<SafetyFinding> learned =
          check(f, text, SafetyStage.OUTPUT, AgeGroup.AGES_9_12).findings();
      assertThat(learned).hasSize(1);
      assertThat(learned.get(0).start()).isGreaterThanOrEqualTo(0);
      assertThat(learned.get(0).end())
          .isLessThanOrEqualTo(text.length())
          .isGreaterThan(learned.get(0).start());
    }
  }
}
