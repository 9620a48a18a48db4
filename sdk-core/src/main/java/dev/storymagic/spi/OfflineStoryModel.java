package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.ComponentHealth;
import dev.storymagic.FieldError;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.TokenUsage;
import dev.storymagic.internal.offline.OfflineStoryEngine;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A procedural story engine that needs no network: deterministic for a given request and seed,
 * varied across seeds, written for every theme and age group with the request's characters, setting
 * and moral, always with a title and a beginning–problem–resolution arc inside the requested word
 * band. The default model, and the one used in tests and benchmarks.
 *
 * <p>Each built-in theme of {@link ThemeCatalog#defaults()} has its own places, problems, helpers
 * and sensory details; a theme an application adds gets a generic story built around its display
 * name and description. Characters' names and descriptions, the setting, the moral (a default one
 * when the request has none) and the child's idea are all woven into the text. Sentence length and
 * vocabulary follow the age group: short, repetitive sentences for ages 3–5, longer ones with some
 * suspense for ages 9–12. Every story is checked against its word band and the age group's
 * reading-grade band before it is returned, and rewritten (deterministically) if it misses.
 *
 * <p><b>Language.</b> The engine writes English only. A request whose {@link
 * StoryRequest#language()} is English ({@code "en"}, or an English regional tag such as {@code
 * "en-GB"}, in any case) gets a story; any other language is refused with an {@link
 * StoryMagicException.InvalidRequest} on the {@code language} field, rather than answered silently
 * in English. The pipeline derives the story's seed without the language tag, so {@code "en"},
 * {@code "en-GB"} and {@code "EN-us"} get the same story.
 *
 * <p>Writing a story takes well under a millisecond, so there is nothing to time out; a
 * regeneration ({@link ModelRequest#attempt()} above 1) writes a different story from the same
 * seed. Thread-safe.
 */
public final class OfflineStoryModel implements StoryModel {
  /** The model id, part of cache keys; bumped whenever the engine's output changes. */
  public static final String ID = "offline-2";

  private final OfflineStoryEngine engine = new OfflineStoryEngine();
  private final Duration streamPace;

  private OfflineStoryModel(Duration streamPace) {
    this.streamPace = streamPace;
  }

  /** An engine that streams as fast as it writes. */
  public static OfflineStoryModel create() {
    return new OfflineStoryModel(Duration.ZERO);
  }

  /**
   * An engine that pauses {@code pace} between streamed sentences, so a demo shows a story arriving
   * the way a remote model's would. Zero means no pause; at most 5 seconds.
   */
  public static OfflineStoryModel withStreamPace(Duration pace) {
    requireNonNull(pace, "pace");
    if (pace.isNegative() || pace.compareTo(Duration.ofSeconds(5)) > 0) {
      throw new IllegalArgumentException("stream pace must be within 0..5s: " + pace);
    }
    return new OfflineStoryModel(pace);
  }

  /**
   * False: the engine writes English only. It refuses any other language itself ({@link
   * #generate}), so the pipeline's language check has nothing to add.
   */
  @Override
  public boolean writesRequestedLanguage() {
    return false;
  }

  @Override
  public String id() {
    return ID;
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoryMagicException.InvalidRequest when the request asks for a language other than
   *     English
   */
  @Override
  public ModelResponse generate(ModelRequest request) {
    String language = request.story().language();
    if (!writesLanguage(language)) {
      throw new StoryMagicException.InvalidRequest(
          List.of(
              new FieldError(
                  "language",
                  "the offline story engine writes"
                      + " English only ('en' or an English regional tag such as 'en-GB'); '"
                      + language
                      + "' needs a model"
                      + " that writes it, such as OpenAiStoryModel")));
    }
    OfflineStoryEngine.Draft draft =
        engine.write(
            request.story(),
            request.theme(),
            request.wordBand(),
            request.seed() + 7919L * (request.attempt() - 1));
    return new ModelResponse(
        draft.title(), draft.paragraphs(), TokenUsage.NONE, BigDecimal.ZERO, ID);
  }

  @Override
  public ModelResponse stream(ModelRequest request, ModelStreamListener listener) {
    ModelResponse response = generate(request);
    listener.onTitle(response.title());
    List<String> paragraphs = response.paragraphs();
    for (int p = 0; p < paragraphs.size(); p++) {
      List<String> sentences = OfflineStoryEngine.sentences(paragraphs.get(p));
      for (int s = 0; s < sentences.size(); s++) {
        if (listener.isCancelled() || Thread.currentThread().isInterrupted()) {
          throw new StoryMagicException.Cancelled("the stream was cancelled");
        }
        boolean lastInParagraph = s == sentences.size() - 1;
        boolean lastOfAll = lastInParagraph && p == paragraphs.size() - 1;
        listener.onDelta(sentences.get(s) + (lastOfAll ? "" : lastInParagraph ? "\n\n" : " "));
        if (!streamPace.isZero()) {
          LockSupport.parkNanos(TimeUnit.NANOSECONDS.convert(streamPace));
        }
      }
    }
    return response;
  }

  /**
   * Whether the engine writes {@code languageTag}: English, with or without a region, in any case.
   */
  public static boolean writesLanguage(String languageTag) {
    String primary = languageTag.strip();
    int dash = primary.indexOf('-') >= 0 ? primary.indexOf('-') : primary.indexOf('_');
    if (dash >= 0) {
      primary = primary.substring(0, dash);
    }
    return primary.equalsIgnoreCase("en");
  }

  @Override
  public ComponentHealth health() {
    return ComponentHealth.up("offline engine");
  }
}
