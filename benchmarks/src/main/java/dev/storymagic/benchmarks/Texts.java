package dev.storymagic.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The realistic story text the benchmarks send and check. */
final class Texts {
  private static final String STORY_RESOURCE = "story-mia-and-the-lost-star.txt";

  private Texts() {}

  /** A ~400-word story for ages 6-8: the title on the first line, a blank line, then paragraphs. */
  static String story() {
    try (InputStream in = Texts.class.getResourceAsStream(STORY_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + STORY_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The body of {@code story} (without its title) told again and again until it has exactly {@code
   * count} words, keeping its paragraphs; the last sentence may be cut.
   */
  static String words(String story, int count) {
    String body = story.substring(story.indexOf('\n')).strip();
    StringBuilder out = new StringBuilder();
    int words = 0;
    while (words < count) {
      for (String paragraph : body.split("\\n\\s*\\n")) {
        if (words == count) {
          break;
        }
        if (out.length() > 0) {
          out.append("\n\n");
        }
        String[] tokens = paragraph.strip().split("\\s+");
        int take = Math.min(tokens.length, count - words);
        out.append(String.join(" ", java.util.Arrays.copyOf(tokens, take)));
        words += take;
      }
    }
    return out.toString();
  }
}
