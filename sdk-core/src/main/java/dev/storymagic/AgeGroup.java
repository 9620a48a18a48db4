package dev.storymagic;

import java.util.Locale;
import java.util.Optional;

/**
 * The audience a story is written for. Each group carries the reading-level band its stories must
 * fall in and the sentence length its prose should keep to.
 */
public enum AgeGroup {
  AGES_3_5("3-5", 3, 5, -3.0, 3.0, 10),
  AGES_6_8("6-8", 6, 8, -1.0, 5.0, 14),
  AGES_9_12("9-12", 9, 12, 1.0, 8.5, 20);

  private final String label;
  private final int minAge;
  private final int maxAge;
  private final double minReadingGrade;
  private final double maxReadingGrade;
  private final int targetSentenceWords;

  AgeGroup(
      String label, int minAge, int maxAge, double minGrade, double maxGrade, int sentenceWords) {
    this.label = label;
    this.minAge = minAge;
    this.maxAge = maxAge;
    this.minReadingGrade = minGrade;
    this.maxReadingGrade = maxGrade;
    this.targetSentenceWords = sentenceWords;
  }

  /** The label used on the wire and in metrics, such as {@code "6-8"}. */
  public String label() {
    return label;
  }

  public int minAge() {
    return minAge;
  }

  public int maxAge() {
    return maxAge;
  }

  /** Lowest acceptable Flesch–Kincaid grade for this group's stories. */
  public double minReadingGrade() {
    return minReadingGrade;
  }

  /** Highest acceptable Flesch–Kincaid grade for this group's stories. */
  public double maxReadingGrade() {
    return maxReadingGrade;
  }

  /** The longest sentence, in words, the prose should usually keep to. */
  public int targetSentenceWords() {
    return targetSentenceWords;
  }

  /** Parses a label ({@code "6-8"}) or an enum name ({@code "AGES_6_8"}), case-insensitively. */
  public static Optional<AgeGroup> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim();
    // Loops over a kept array: parsed for every story request, where values() copied the array
    // and a stream was built each time.
    for (AgeGroup g : ALL) {
      if (g.label.equals(v)) {
        return Optional.of(g);
      }
    }
    String name = v.toUpperCase(Locale.ROOT);
    for (AgeGroup g : ALL) {
      if (g.name().equals(name)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  private static final AgeGroup[] ALL = values();
}
