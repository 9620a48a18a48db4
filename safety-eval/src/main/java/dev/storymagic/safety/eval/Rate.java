package dev.storymagic.safety.eval;

/**
 * A proportion {@code successes / trials} with its Wilson score interval.
 *
 * <p>Wilson rather than the normal ("Wald") interval because the rates measured here are often near
 * 0 or 1 (0 of 300 stories blocked) and on small counts (12 rows of one category), where the Wald
 * interval collapses to zero width or leaves 0..1.
 *
 * @param successes how many of the trials count
 * @param trials how many there were; 0 gives an undefined rate ({@link Double#NaN}) and the
 *     interval 0..1
 */
public record Rate(long successes, long trials) {
  /** z for a two-sided 95 % interval. */
  public static final double Z95 = 1.959963984540054;

  public Rate {
    if (trials < 0 || successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          "need 0 <= successes <= trials: " + successes + "/" + trials);
    }
  }

  public double value() {
    return trials == 0 ? Double.NaN : (double) successes / trials;
  }

  /** The 95 % Wilson score interval's lower bound. */
  public double low() {
    return wilson(Z95)[0];
  }

  /** The 95 % Wilson score interval's upper bound. */
  public double high() {
    return wilson(Z95)[1];
  }

  /** The Wilson score interval for {@code z} standard deviations, {@code [low, high]}. */
  public double[] wilson(double z) {
    if (trials == 0) {
      return new double[] {0, 1};
    }
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // Clamp the rounding error at the ends (0/n must give exactly 0, n/n exactly 1).
    return new double[] {
      successes == 0 ? 0 : Math.max(0, centre - half),
      successes == trials ? 1 : Math.min(1, centre + half)
    };
  }
}
