package dev.storymagic.benchmarks;

/** JMH's score units: {@code ns/op}, {@code us/op}, ..., {@code ops/s}, {@code ops/us}, .... */
final class Units {
  private Units() {}

  static boolean isTimePerOp(String unit) {
    return unit.endsWith("/op");
  }

  static boolean isRate(String unit) {
    return unit.startsWith("ops/");
  }

  /** Nanoseconds in one {@code x/op} time unit. */
  static double nanosPer(String unit) {
    if (!isTimePerOp(unit)) {
      throw new IllegalArgumentException("not a time per operation: " + unit);
    }
    return nanos(unit.substring(0, unit.length() - "/op".length()));
  }

  /** Operations per second for a score in {@code ops/x}. */
  static double perSecond(double score, String unit) {
    if (!isRate(unit)) {
      throw new IllegalArgumentException("not a rate: " + unit);
    }
    return score * 1e9 / nanos(unit.substring("ops/".length()));
  }

  private static double nanos(String timeUnit) {
    switch (timeUnit) {
      case "ns":
        return 1;
      case "us":
        return 1e3;
      case "ms":
        return 1e6;
      case "s":
        return 1e9;
      case "min":
        return 60e9;
      default:
        throw new IllegalArgumentException("unknown time unit: " + timeUnit);
    }
  }
}
