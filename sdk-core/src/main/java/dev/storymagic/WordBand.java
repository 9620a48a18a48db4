package dev.storymagic;

/** An inclusive range of word counts. */
public record WordBand(int min, int max) {
  public WordBand {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("invalid word band: " + min + ".." + max);
    }
  }

  public boolean contains(int words) {
    return words >= min && words <= max;
  }

  /** The middle of the band, a good target for a generator. */
  public int target() {
    return (min + max) / 2;
  }

  @Override
  public String toString() {
    return min + "-" + max + " words";
  }
}
