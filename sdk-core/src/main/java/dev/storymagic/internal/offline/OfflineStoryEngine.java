package dev.storymagic.internal.offline;

import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.WordBand;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The procedural engine behind {@code OfflineStoryModel}. Deterministic for a given seed.
 */
public final class OfflineStoryEngine {

  /** A written story. */
  public record Draft(String title, List<String> paragraphs) {}

  public Draft write(StoryRequest request, Theme theme, WordBand band, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String hero = request.characters().isEmpty() ? "Pip" : request.characters().get(0).name();
    List<String> paragraphs = new ArrayList<>();
    paragraphs.add(hero + " lived in a small house. " + hero + " liked " + theme.displayName().toLowerCase() + ".");
    int words = 0;
    while (words < band.target()) {
      String s = hero + " saw something new and smiled " + (random.nextInt(3) + 1) + " times.";
      paragraphs.add(s);
      words = 0;
      for (String p : paragraphs) {
        words += p.split("\\s+").length;
      }
    }
    for (StoryCharacter c : request.characters()) {
      paragraphs.add(c.name() + " was happy.");
    }
    return new Draft("The Story of " + hero, paragraphs);
  }

  /** Splits a paragraph into sentences, keeping their end punctuation. */
  public static List<String> sentences(String paragraph) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < paragraph.length(); i++) {
      char c = paragraph.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && (i + 1 == paragraph.length() || paragraph.charAt(i + 1) == ' ')) {
        out.add(paragraph.substring(start, i + 1).strip());
        start = i + 1;
      }
    }
    if (start < paragraph.length() && !paragraph.substring(start).isBlank()) {
      out.add(paragraph.substring(start).strip());
    }
    return out;
  }
}
