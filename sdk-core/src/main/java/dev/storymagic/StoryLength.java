package dev.storymagic;

import java.util.Locale;
import java.util.Optional;

/** How long a story should be; the word band depends on the age group. */
@SuppressWarnings("ImmutableEnumChecker") // WordBand is a record of two ints
public enum StoryLength {
  SHORT(new WordBand(80, 160), new WordBand(150, 300), new WordBand(250, 450)),
  MEDIUM(new WordBand(160, 300), new WordBand(300, 550), new WordBand(450, 800)),
  LONG(new WordBand(300, 450), new WordBand(550, 850), new WordBand(800, 1200));

  private final WordBand youngest;
  private final WordBand middle;
  private final WordBand oldest;

  StoryLength(WordBand ages3to5, WordBand ages6to8, WordBand ages9to12) {
    this.youngest = ages3to5;
    this.middle = ages6to8;
    this.oldest = ages9to12;
  }

  /** The word band a story of this length must fall in for the given audience. */
  public WordBand band(AgeGroup ageGroup) {
    switch (ageGroup) {
      case AGES_3_5:
        return youngest;
      case AGES_6_8:
        return middle;
      case AGES_9_12:
        return oldest;
      default:
        throw new IllegalArgumentException("unknown age group: " + ageGroup);
    }
  }

  public static Optional<StoryLength> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
