package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measures the local classifier on the labelled corpus under {@code src/test/resources/safety},
 * prints precision, recall and false-positive rate per category, and fails below recall 0.95 on the
 * unsafe texts or above a false-positive rate of 1 % on the safe texts. Every text is checked as
 * user input, the stage with the most rules.
 *
 * <p>Run alone: {@code mvn -B -pl sdk-core -am test -Dtest=SafetyCorpusMetricsTest
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
class SafetyCorpusMetricsTest {
  /** Every category a text can express; UNVERIFIED only marks a filter outage. */
  private static final java.util.Set<SafetyCategory> HARMS =
      java.util.EnumSet.complementOf(java.util.EnumSet.of(SafetyCategory.UNVERIFIED));

  private static final double MIN_RECALL = 0.95;
  private static final double MAX_FALSE_POSITIVE_RATE = 0.01;

  private static final LocalSafetyClassifier classifier = LocalSafetyClassifier.create();
  private static final SafetyPolicy policy = SafetyPolicy.defaults();

  private static final Map<SafetyCategory, int[]> counts = new EnumMap<>(SafetyCategory.class);
  private static final List<String> misses = new ArrayList<>();
  private static final List<String> falseAlarms = new ArrayList<>();
  private static int unsafeTexts;
  private static int unsafeBlocked;
  private static int safeTexts;
  private static int safeBlocked;

  // counts[c]: 0 labelled, 1 true positives, 2 false positives on safe texts, 3 unlabelled hits on
  // unsafe texts
  @BeforeAll
  static void measure() {
    for (SafetyCategory c : HARMS) {
      counts.put(c, new int[4]);
    }
    for (SafetyCorpus.Unsafe u : SafetyCorpus.unsafe()) {
      unsafeTexts++;
      SafetyVerdict verdict = check(u.text(), u.age());
      Set<SafetyCategory> found = verdict.violationTypes();
      if (verdict.blocked()) {
        unsafeBlocked++;
      }
      for (SafetyCategory c : u.categories()) {
        counts.get(c)[0]++;
        if (found.contains(c)) {
          counts.get(c)[1]++;
        } else {
          misses.add(
              "unsafe.tsv:"
                  + u.line()
                  + " "
                  + c.label()
                  + " not blocked (found "
                  + found
                  + "): "
                  + u.text());
        }
      }
      for (SafetyCategory c : found) {
        if (!u.categories().contains(c)) {
          counts.get(c)[3]++;
        }
      }
    }
    for (SafetyCorpus.Safe s : SafetyCorpus.safe()) {
      safeTexts++;
      Set<SafetyCategory> blocking = java.util.EnumSet.noneOf(SafetyCategory.class);
      for (AgeGroup age : AgeGroup.values()) {
        if (age.compareTo(s.minAge()) >= 0) {
          blocking.addAll(check(s.text(), age).violationTypes());
        }
      }
      if (!blocking.isEmpty()) {
        safeBlocked++;
        falseAlarms.add("safe.tsv:" + s.line() + " blocked for " + blocking + ": " + s.text());
      }
      for (SafetyCategory c : blocking) {
        counts.get(c)[2]++;
      }
    }
    System.out.println(table());
    misses.forEach(m -> System.out.println("MISS  " + m));
    falseAlarms.forEach(f -> System.out.println("FALSE " + f));
  }

  private static SafetyVerdict check(String text, AgeGroup age) {
    return classifier.check(text, new SafetyContext(SafetyStage.INPUT, age, policy));
  }

  static String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-24s %7s %5s %9s %8s %9s %7s%n",
            "category",
            "unsafe",
            "TP",
            "precision",
            "recall",
            "safe-FP",
            "FPR"));
    for (SafetyCategory c : HARMS) {
      int[] n = counts.get(c);
      double precision = n[1] + n[2] + n[3] == 0 ? 1.0 : (double) n[1] / (n[1] + n[2] + n[3]);
      out.append(
          String.format(
              Locale.ROOT,
              "%-24s %7d %5d %9.3f %8.3f %9d %6.2f%%%n",
              c.label(),
              n[0],
              n[1],
              precision,
              recall(c),
              n[2],
              100.0 * n[2] / safeTexts));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%-24s %7d %5d %9s %8.3f %9d %6.2f%%%n",
            "all texts",
            unsafeTexts,
            unsafeBlocked,
            "",
            (double) unsafeBlocked / unsafeTexts,
            safeBlocked,
            100.0 * safeBlocked / safeTexts));
    return out.toString();
  }

  private static double recall(SafetyCategory c) {
    int[] n = counts.get(c);
    return n[0] == 0 ? 1.0 : (double) n[1] / n[0];
  }

  @Test
  void corpusHasUnsafeExamplesForEveryCategoryAndHundredsOfTexts() {
    for (SafetyCategory c : HARMS) {
      assertThat(counts.get(c)[0])
          .as("unsafe examples for %s", c.label())
          .isGreaterThanOrEqualTo(5);
    }
    assertThat(unsafeTexts + safeTexts).isGreaterThanOrEqualTo(400);
  }

  @Test
  void recallOnUnsafeTextsIsAtLeast95PercentInEveryCategory() {
    for (SafetyCategory c : HARMS) {
      assertThat(recall(c))
          .as("recall of %s; misses:%n%s", c.label(), String.join("\n", misses))
          .isGreaterThanOrEqualTo(MIN_RECALL);
    }
    assertThat((double) unsafeBlocked / unsafeTexts)
        .as("share of unsafe texts blocked")
        .isGreaterThanOrEqualTo(MIN_RECALL);
  }

  @Test
  void falsePositiveRateOnSafeTextsIsAtMostOnePercent() {
    for (SafetyCategory c : HARMS) {
      assertThat((double) counts.get(c)[2] / safeTexts)
          .as(
              "false-positive rate of %s; false alarms:%n%s",
              c.label(), String.join("\n", falseAlarms))
          .isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
    }
    assertThat((double) safeBlocked / safeTexts)
        .as("share of safe texts blocked:%n%s", String.join("\n", falseAlarms))
        .isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
  }
}
