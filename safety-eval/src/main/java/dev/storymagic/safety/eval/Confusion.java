package dev.storymagic.safety.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Counts of one yes/no decision against labels: true and false positives, false and true negatives.
 */
public record Confusion(long tp, long fp, long fn, long tn) {
  public Confusion {
    if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
      throw new IllegalArgumentException(
          "counts cannot be negative: " + tp + "/" + fp + "/" + fn + "/" + tn);
    }
  }

  public static Confusion empty() {
    return new Confusion(0, 0, 0, 0);
  }

  /** This matrix with one more decision counted. */
  public Confusion add(boolean actual, boolean predicted) {
    if (actual) {
      return predicted ? new Confusion(tp + 1, fp, fn, tn) : new Confusion(tp, fp, fn + 1, tn);
    }
    return predicted ? new Confusion(tp, fp + 1, fn, tn) : new Confusion(tp, fp, fn, tn + 1);
  }

  public long positives() {
    return tp + fn;
  }

  public long negatives() {
    return fp + tn;
  }

  /** Of what was flagged, how much was right. */
  public Rate precision() {
    return new Rate(tp, tp + fp);
  }

  /** Of what should be flagged, how much was. */
  public Rate recall() {
    return new Rate(tp, tp + fn);
  }

  /** Of what should pass, how much was flagged. */
  public Rate falsePositiveRate() {
    return new Rate(fp, fp + tn);
  }

  /** 2·TP / (2·TP + FP + FN); NaN when there is nothing positive, labelled or flagged. */
  public double f1() {
    long d = 2 * tp + fp + fn;
    return d == 0 ? Double.NaN : 2.0 * tp / d;
  }

  /**
   * A 95 % percentile-bootstrap interval for F1 (F1 is not a proportion, so it has no Wilson
   * interval). F1 does not depend on true negatives, so the bootstrap resamples the {@code
   * tp+fp+fn} decisions that make it, with a fixed seed so the same counts always give the same
   * interval.
   */
  public double[] f1Interval(int resamples, long seed) {
    long m = tp + fp + fn;
    if (m == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] f1s = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      long t = 0;
      long other = 0;
      for (long i = 0; i < m; i++) {
        if (random.nextLong(m) < tp) {
          t++;
        } else {
          other++;
        }
      }
      f1s[r] = 2.0 * t / (2 * t + other);
    }
    Arrays.sort(f1s);
    return new double[] {
      f1s[(int) Math.floor(0.025 * (resamples - 1))], f1s[(int) Math.ceil(0.975 * (resamples - 1))]
    };
  }

  /** The {@link #f1Interval} the reports use: 1,000 resamples, seed 2026. */
  public double[] f1Interval() {
    return f1Interval(1000, 2026L);
  }
}
