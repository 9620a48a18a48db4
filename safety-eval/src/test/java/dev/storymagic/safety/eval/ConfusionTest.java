package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionTest {

  @Test
  void figuresOfAKnownMatrix() {
    Confusion c = new Confusion(40, 10, 20, 30);
    assertThat(c.precision()).isEqualTo(new Rate(40, 50));
    assertThat(c.precision().value()).isEqualTo(0.8);
    assertThat(c.recall().value()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(c.falsePositiveRate().value()).isEqualTo(0.25);
    // F1 = 2PR/(P+R) = 2·0.8·0.6667/1.4667 = 80/110.
    assertThat(c.f1()).isCloseTo(80.0 / 110, within(1e-12));
    assertThat(c.positives()).isEqualTo(60);
    assertThat(c.negatives()).isEqualTo(40);
  }

  @Test
  void aPerfectFilterAndAFilterThatFlagsNothing() {
    Confusion perfect = new Confusion(25, 0, 0, 75);
    assertThat(perfect.f1()).isEqualTo(1.0);
    assertThat(perfect.falsePositiveRate().value()).isZero();
    Confusion silent = new Confusion(0, 0, 25, 75);
    assertThat(silent.f1()).isZero();
    assertThat(silent.precision().value()).isNaN();
    assertThat(silent.recall().value()).isZero();
  }

  @Test
  void f1IsUndefinedWithNothingLabelledOrFlagged() {
    assertThat(new Confusion(0, 0, 0, 10).f1()).isNaN();
    assertThat(new Confusion(0, 0, 0, 10).f1Interval()).containsExactly(Double.NaN, Double.NaN);
  }

  @Test
  void addCountsEachCell() {
    Confusion c =
        Confusion.empty()
            .add(true, true)
            .add(true, false)
            .add(false, true)
            .add(false, false)
            .add(false, false);
    assertThat(c).isEqualTo(new Confusion(1, 1, 1, 2));
  }

  @Test
  void f1IntervalSurroundsF1AndIsReproducible() {
    Confusion c = new Confusion(40, 10, 20, 30);
    double[] ci = c.f1Interval();
    assertThat(ci[0]).isLessThan(c.f1());
    assertThat(ci[1]).isGreaterThan(c.f1());
    assertThat(c.f1Interval()).containsExactly(ci);
    // About ±0.08 for 70 deciding cases; a tenfold larger matrix gives a narrower interval.
    assertThat(ci[1] - ci[0]).isBetween(0.08, 0.25);
    double[] big = new Confusion(400, 100, 200, 300).f1Interval();
    assertThat(big[1] - big[0]).isLessThan((ci[1] - ci[0]) / 2);
  }

  @Test
  void negativeCountsAreRejected() {
    assertThatThrownBy(() -> new Confusion(1, -1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
