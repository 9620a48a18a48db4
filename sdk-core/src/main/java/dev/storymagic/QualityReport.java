package dev.storymagic;

import java.util.ArrayList;
import java.util.List;

/**
 * The soft quality checks of a delivered story: misses are flagged here (and regenerated under
 * {@link QualityPolicy#REGENERATE}), not refused. A story the pipeline returns has already passed
 * the hard checks described at {@link QualityPolicy}, so {@code hasTitle} is true for it and its
 * word count is at least half the band's minimum.
 *
 * @param wordCount words in the story body
 * @param wordBand the band the request asked for
 * @param readingGrade the Flesch–Kincaid grade level of the body
 * @param ageGroup the audience whose reading band applies
 * @param hasTitle whether the story has a non-blank title
 */
public record QualityReport(
    int wordCount, WordBand wordBand, double readingGrade, AgeGroup ageGroup, boolean hasTitle) {

  public boolean lengthWithinBand() {
    return wordBand.contains(wordCount);
  }

  public boolean readingLevelWithinBand() {
    return readingGrade >= ageGroup.minReadingGrade() && readingGrade <= ageGroup.maxReadingGrade();
  }

  /** True when every check passed. */
  public boolean passed() {
    return hasTitle && lengthWithinBand() && readingLevelWithinBand();
  }

  /** A sentence per failed check, empty when the story passed. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!hasTitle) {
      problems.add("the story has no title");
    }
    if (!lengthWithinBand()) {
      problems.add("word count " + wordCount + " is outside " + wordBand);
    }
    if (!readingLevelWithinBand()) {
      problems.add(
          String.format(
              java.util.Locale.ROOT,
              "reading grade %.1f is outside %.1f-%.1f for ages %s",
              readingGrade,
              ageGroup.minReadingGrade(),
              ageGroup.maxReadingGrade(),
              ageGroup.label()));
    }
    return problems;
  }
}
