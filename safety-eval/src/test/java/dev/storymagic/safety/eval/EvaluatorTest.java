package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.Severity;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  /**
   * Blocks "slur" as hate, "gore" as violence/graphic, and "wolf" as frightening for ages 3–5 only
   * (the default policy lets 6–12 read medium fright). Reports a non-blocking finding for "maybe".
   */
  static final class FakeFilter implements SafetyFilter {
    @Override
    public SafetyAssessment assess(String text, SafetyStage stage) {
      List<SafetyFinding> f = new ArrayList<>();
      add(f, text, "slur", SafetyCategory.HATE, Severity.HIGH, SafetyFinding.DECISIVE);
      add(f, text, "gore", SafetyCategory.VIOLENCE_GRAPHIC, Severity.HIGH, SafetyFinding.DECISIVE);
      // Over the default frightening threshold for 3-5 (0.5), under those for 6-8 and 9-12.
      add(f, text, "wolf", SafetyCategory.FRIGHTENING, Severity.LOW, 0.6);
      if (text.contains("maybe")) {
        f.add(SafetyFinding.of(SafetyCategory.HATE, Severity.LOW, 0.1, -1, -1, "fake"));
      }
      return new SafetyAssessment(f);
    }

    private static void add(
        List<SafetyFinding> f,
        String text,
        String word,
        SafetyCategory c,
        Severity s,
        double score) {
      int at = text.indexOf(word);
      if (at >= 0) {
        f.add(SafetyFinding.of(c, s, score, at, at + word.length(), "fake"));
      }
    }
  }

  private static LabelledText text(
      String id, String text, String source, SafetyCategory... labels) {
    return new LabelledText(id, text, Set.of(labels), SafetyStage.OUTPUT, source, "test");
  }

  private static final List<LabelledText> TEXTS =
      List.of(
          text("1", "a slur here", "social/hate", SafetyCategory.HATE),
          text("2", "gore everywhere", "social/violent", SafetyCategory.VIOLENCE),
          text("3", "a slur and gore", "social/violent", SafetyCategory.VIOLENCE),
          text("4", "subtle hate, maybe", "social/hate", SafetyCategory.HATE),
          text("5", "the wolf came to the door", "tales/grimm"),
          text("6", "the bears had porridge", "tales/grimm"),
          text("7", "nice weather", "social/neither"));

  private static Evaluation evaluate() {
    return new Evaluator(new FakeFilter(), SafetyPolicy.defaults(), 1)
        .evaluate("fake", "test", TEXTS, List.of(AgeGroup.values()));
  }

  @Test
  void binaryFiguresCountBlockingFindingsOnly() {
    Evaluation.AgeResult older = evaluate().ages().get(2);
    assertThat(older.age()).isEqualTo(AgeGroup.AGES_9_12);
    // Harmful 1,2,3 blocked; 4 has only a non-blocking finding; no benign text blocked at 9-12.
    assertThat(older.binary()).isEqualTo(new Confusion(3, 0, 1, 3));
    assertThat(older.binaryByStage().get(SafetyStage.OUTPUT)).isEqualTo(older.binary());
  }

  @Test
  void theAgePolicyDecidesAndEachAgeIsScoredOnItsOwn() {
    Evaluation e = evaluate();
    Evaluation.AgeResult young = e.ages().get(0);
    assertThat(young.binary()).isEqualTo(new Confusion(3, 1, 1, 2));
    assertThat(young.benignBlocked().get("tales")).isEqualTo(new Rate(1, 2));
    assertThat(e.ages().get(2).benignBlocked().get("tales")).isEqualTo(new Rate(0, 2));
    assertThat(young.benignBlocked().get("social")).isEqualTo(new Rate(0, 1));
    assertThat(young.harmfulCaught().get("social")).isEqualTo(new Rate(3, 4));
    assertThat(young.categories().get(CategoryGroup.FRIGHTENING).matched())
        .isEqualTo(new Confusion(0, 1, 0, 6));
  }

  @Test
  void aSubCategoryMatchesItsParentAndAWrongCategoryDoesNot() {
    Evaluation.AgeResult a = evaluate().ages().get(2);
    // Text 2 (violence) was blocked as violence/graphic: a match. Text 1 (hate) as hate: a match.
    // Text 3 (violence) was blocked for hate and violence/graphic: a match. Text 4 was not blocked.
    assertThat(a.matchingRecall()).isEqualTo(new Rate(3, 4));
    Evaluation.CategoryResult hate = a.categories().get(CategoryGroup.HATE);
    // Hate flagged on 1 (right) and 3 (labelled violence only): precision 1/2, recall 1/2 (4
    // missed).
    assertThat(hate.matched()).isEqualTo(new Confusion(1, 1, 1, 4));
    assertThat(hate.caught()).isEqualTo(new Rate(1, 2));
    assertThat(a.categories().get(CategoryGroup.VIOLENCE).matched())
        .isEqualTo(new Confusion(2, 0, 0, 5));
  }

  @Test
  void aWrongCategoryStillCountsForTheBinaryFigure() {
    LabelledText labelledViolenceBlockedAsHate =
        text("8", "a slur", "social/violent", SafetyCategory.VIOLENCE);
    Evaluation e =
        new Evaluator(new FakeFilter(), SafetyPolicy.defaults(), 1)
            .evaluate(
                "fake",
                "test",
                List.of(labelledViolenceBlockedAsHate),
                List.of(AgeGroup.AGES_9_12));
    assertThat(e.ages().get(0).binary()).isEqualTo(new Confusion(1, 0, 0, 0));
    assertThat(e.ages().get(0).matchingRecall()).isEqualTo(new Rate(0, 1));
    assertThat(e.ages().get(0).categories().get(CategoryGroup.VIOLENCE).caught())
        .isEqualTo(new Rate(1, 1));
  }

  @Test
  void threadsGiveTheSameFigures() {
    Evaluation one = evaluate();
    Evaluation four =
        new Evaluator(new FakeFilter(), SafetyPolicy.defaults(), 4)
            .evaluate("fake", "test", TEXTS, List.of(AgeGroup.values()));
    assertThat(four.ages()).isEqualTo(one.ages());
    assertThat(four.throughput().checks()).isEqualTo(21);
    assertThat(four.throughput().chars()).isEqualTo(one.throughput().chars());
  }
}
