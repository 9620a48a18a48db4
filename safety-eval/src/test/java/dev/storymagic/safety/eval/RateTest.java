package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateTest {

  @Test
  void wilsonIntervalMatchesNewcombesWorkedExample() {
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", example 81/263.
    Rate r = new Rate(81, 263);
    assertThat(r.value()).isCloseTo(0.307985, within(1e-6));
    assertThat(r.low()).isCloseTo(0.2553, within(5e-5));
    assertThat(r.high()).isCloseTo(0.3662, within(5e-5));
  }

  @Test
  void wilsonIntervalAtTheEndsStaysInsideZeroToOne() {
    // 0/10: the upper bound z²/(n+z²) = 0.2775; 10/10 mirrors it.
    assertThat(new Rate(0, 10).low()).isZero();
    assertThat(new Rate(0, 10).high()).isCloseTo(0.277533, within(1e-6));
    assertThat(new Rate(10, 10).low()).isCloseTo(0.722467, within(1e-6));
    assertThat(new Rate(10, 10).high()).isEqualTo(1.0);
  }

  @Test
  void wilsonIntervalIsSymmetricAroundOneHalfAndNotAroundSmallRates() {
    assertThat(new Rate(1, 2).low()).isCloseTo(0.094531, within(1e-6));
    assertThat(new Rate(1, 2).high()).isCloseTo(0.905469, within(1e-6));
    Rate five = new Rate(5, 100);
    assertThat(five.low()).isCloseTo(0.021544, within(1e-6));
    assertThat(five.high()).isCloseTo(0.111750, within(1e-6));
    assertThat(five.high() - five.value()).isGreaterThan(five.value() - five.low());
  }

  @Test
  void wilsonIntervalNarrowsWithZ() {
    double[] z1 = new Rate(30, 100).wilson(1.0);
    double[] z2 = new Rate(30, 100).wilson(2.0);
    assertThat(z1[0]).isGreaterThan(z2[0]);
    assertThat(z1[1]).isLessThan(z2[1]);
  }

  @Test
  void noTrialsGiveAnUndefinedRateAndTheWholeInterval() {
    Rate r = new Rate(0, 0);
    assertThat(r.value()).isNaN();
    assertThat(r.low()).isZero();
    assertThat(r.high()).isEqualTo(1.0);
  }

  @Test
  void moreSuccessesThanTrialsIsRejected() {
    assertThatThrownBy(() -> new Rate(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("need 0 <= successes <= trials: 3/2");
    assertThatThrownBy(() -> new Rate(-1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
