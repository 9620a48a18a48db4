package dev.storymagic.internal.offline;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.WordBand;
import dev.storymagic.internal.Readability;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The procedural engine behind {@code OfflineStoryModel}: writes English children's stories from
 * the request's fields. Deterministic: the same request, theme, band and seed always give the same
 * story. Thread-safe and allocation-light; the story material is parsed once per class loader.
 *
 * <p>Each story is checked against its word band and its age group's reading-grade band before it
 * is returned. A draft that misses either is rewritten from a seed derived from the original (so
 * the result stays deterministic), choosing plainer sentences each time its grade came out too
 * high; after {@value #DRAFTS} drafts the closest one is returned. Only unusual input (very long,
 * many-syllabled names and descriptions) ever needs more than one draft.
 */
public final class OfflineStoryEngine {
  /** Drafts written at most for one story. */
  static final int DRAFTS = 16;

  /** How far inside the grade band a draft should land, so rounding never tips it out. */
  private static final double GRADE_MARGIN = 0.2;

  private final Content content = Content.get();

  /** A written story: a title and paragraphs of plain text. */
  public record Draft(String title, List<String> paragraphs) {
    public Draft {
      requireNonNull(title, "title");
      paragraphs = List.copyOf(paragraphs);
    }

    /** The body, paragraphs separated by a blank line. */
    public String body() {
      return String.join("\n\n", paragraphs);
    }
  }

  /**
   * Whether the engine has its own material for {@code themeId}; other themes get a generic story.
   */
  public boolean knowsTheme(String themeId) {
    return content.knows(themeId);
  }

  /** Writes a story for {@code request} in {@code theme}, inside {@code band}. */
  public Draft write(StoryRequest request, Theme theme, WordBand band, long seed) {
    requireNonNull(request, "request");
    requireNonNull(theme, "theme");
    requireNonNull(band, "band");
    AgeGroup age = request.ageGroup();
    StoryWriter.Brief brief = new StoryWriter.Brief(request, theme, band);
    Draft best = null;
    double bestMiss = Double.MAX_VALUE;
    int plainness = 0;
    for (int draft = 0; draft < DRAFTS; draft++) {
      long draftSeed = draft == 0 ? seed : mix(seed + draft * 0x9E3779B97F4A7C15L);
      Draft d = new StoryWriter(content, brief, new SplittableRandom(draftSeed), plainness).write();
      String body = d.body();
      double grade = Readability.fleschKincaidGrade(body);
      double miss = miss(Readability.wordCount(body), grade, band, age);
      if (miss == 0) {
        return d;
      }
      if (grade > age.maxReadingGrade() - GRADE_MARGIN) {
        plainness++;
      }
      if (miss < bestMiss) {
        best = d;
        bestMiss = miss;
      }
    }
    return best;
  }

  /**
   * How far a draft is from its bands: 0 inside both, otherwise grade levels plus tens of words.
   */
  private static double miss(int words, double grade, WordBand band, AgeGroup age) {
    double lo = age.minReadingGrade() + GRADE_MARGIN;
    double hi = age.maxReadingGrade() - GRADE_MARGIN;
    double gradeMiss = grade < lo ? lo - grade : grade > hi ? grade - hi : 0;
    double wordMiss =
        words < band.min() ? band.min() - words : words > band.max() ? words - band.max() : 0;
    return gradeMiss + wordMiss / 10.0;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Splits a paragraph into sentences, keeping their end punctuation and any closing quote. A
   * sentence ends at . ! or ? (optionally followed by a closing quote) that is followed by the end
   * of the text, or by a space and then anything but a lower-case letter (so {@code "Help!" said
   * Mia.} stays one sentence); the full stop of an abbreviation ("Dr.", "St.") or an initial does
   * not end one. Joining the sentences with spaces gives back the paragraph, modulo whitespace.
   */
  public static List<String> sentences(String paragraph) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = paragraph.length();
    for (int i = 0; i < n; i++) {
      char c = paragraph.charAt(i);
      if (c == '.' && Text.endsWithAbbreviation(paragraph, i)) {
        continue; // "Dr. Lee" and "St. Louis" go on in the same sentence
      }
      if (c == '.' || c == '!' || c == '?') {
        int end = i + 1;
        while (end < n
            && (paragraph.charAt(end) == '"'
                || paragraph.charAt(end) == '\u201d'
                || paragraph.charAt(end) == '\''
                || paragraph.charAt(end) == '\u2019')) {
          end++;
        }
        if (end == n
            || (Character.isWhitespace(paragraph.charAt(end))
                && !continuesLowerCase(paragraph, end))) {
          String s = paragraph.substring(start, end).strip();
          if (!s.isEmpty()) {
            out.add(s);
          }
          start = end;
          i = end - 1;
        }
      }
    }
    if (start < n && !paragraph.substring(start).isBlank()) {
      out.add(paragraph.substring(start).strip());
    }
    return out;
  }

  /**
   * Whether the text after position {@code i} goes on in lower case ("Help!" said Mia), so the
   * sentence does too.
   */
  private static boolean continuesLowerCase(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i < text.length() && Character.isLowerCase(text.charAt(i));
  }
}
