package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.WordBand;

/**
 * What the pipeline asks a {@link StoryModel} for.
 *
 * @param prompt the rendered prompt to send
 * @param story the validated request, for models that work from fields rather than prose (the
 *     offline engine)
 * @param theme the request's theme, resolved from the catalog
 * @param wordBand the word band the story must fall in
 * @param seed a seed for deterministic models; the same request and seed give the same story
 * @param attempt 1 for the first story of a request, higher when regenerating after a safety or
 *     quality miss (the prompt then carries stricter instructions)
 */
public record ModelRequest(
    Prompt prompt, StoryRequest story, Theme theme, WordBand wordBand, long seed, int attempt) {
  public ModelRequest {
    requireNonNull(prompt, "prompt");
    requireNonNull(story, "story");
    requireNonNull(theme, "theme");
    requireNonNull(wordBand, "wordBand");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1: " + attempt);
    }
  }
}
