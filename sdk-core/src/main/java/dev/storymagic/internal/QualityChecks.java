package dev.storymagic.internal;

import dev.storymagic.AgeGroup;
import dev.storymagic.WordBand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The hard quality checks: what makes a story unusable, whatever the caller's {@link
 * dev.storymagic.QualityPolicy}. A story that fails one is regenerated within the attempt budget
 * and, if every attempt fails, the request ends in {@code StoryMagicException.ModelFailure} with
 * reason {@code UNUSABLE_STORY}; it is never returned, stored or cached. Soft misses (the reading
 * grade or the word count somewhat outside the band) stay in {@link dev.storymagic.QualityReport}
 * and only flag the story. Not API.
 */
public final class QualityChecks {
  private QualityChecks() {}

  /**
   * What a hard check looks at: a story as the model wrote it, and what was asked for.
   *
   * @param checkLanguage false when the model declares it writes one language whatever is asked
   */
  public record Draft(
      String title,
      List<String> paragraphs,
      WordBand band,
      AgeGroup ageGroup,
      String language,
      boolean checkLanguage) {
    public Draft {
      paragraphs = List.copyOf(paragraphs);
    }

    /** The body, paragraphs separated by a blank line. */
    public String text() {
      return String.join("\n\n", paragraphs);
    }
  }

  /**
   * A named hard check.
   *
   * @param name a short stable name, the prefix of the problem it reports
   * @param problem what is wrong with the draft, or empty when it passes
   */
  public record Check(String name, Function<Draft, Optional<String>> problem) {}

  /** The hard checks, in order. One more is one more line here. */
  public static final List<Check> HARD =
      List.of(
          new Check("title", QualityChecks::title),
          new Check("length", QualityChecks::length),
          new Check("structure", QualityChecks::structure),
          new Check("language", QualityChecks::language),
          new Check("seam", dev.storymagic.internal.quality.SeamCheck::problem));

  /**
   * Every hard problem of {@code draft}, each as {@code "name: what is wrong"}; empty when it is
   * usable.
   */
  public static List<String> hardProblems(Draft draft) {
    return hardProblems(draft, HARD);
  }

  static List<String> hardProblems(Draft draft, List<Check> checks) {
    List<String> problems = new ArrayList<>();
    for (Check check : checks) {
      check.problem().apply(draft).ifPresent(p -> problems.add(check.name() + ": " + p));
    }
    return problems;
  }

  // ---------------------------------------------------------------- the checks

  static Optional<String> title(Draft d) {
    return d.title().isBlank() ? Optional.of("the story has no title") : Optional.empty();
  }

  /** Empty, or under half the band's minimum: a fragment, not a short story. */
  static Optional<String> length(Draft d) {
    int words = Readability.wordCount(d.text());
    if (words == 0) {
      return Optional.of("the story is empty");
    }
    int floor = (d.band().min() + 1) / 2;
    if (words < floor) {
      return Optional.of("only " + words + " words, under half of the requested " + d.band());
    }
    return Optional.empty();
  }

  // A JSON object or array, a JSON field name, a code fence, chat-template tokens, Markdown
  // headings.
  private static final Pattern JSON_START = Pattern.compile("^\\s*[\\[{]\\s*[\"\\[{]");
  private static final Pattern JSON_FIELD =
      Pattern.compile("\"(?:title|paragraphs|story|content|text)\"\\s*:");
  private static final Pattern FENCE = Pattern.compile("```");
  private static final Pattern CHAT_MARKUP =
      Pattern.compile(
          "<\\|[^|>\\s]{1,40}\\|>|\\[/?INST\\]|<<\\s*/?SYS\\s*>>|</s>|<s>",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADING = Pattern.compile("(?m)^\\s*#{1,6}\\s");

  /**
   * Markup meant for a program, not a child: JSON, code fences, chat-template tokens, headings.
   * Each pattern after the first needs a character it looks for first (a double quote, a backtick,
   * an angle or square bracket, a hash sign), so most stories are not scanned by most of them.
   */
  static Optional<String> structure(Draft d) {
    String body = d.text();
    String all = d.title() + "\n" + body;
    if (JSON_START.matcher(body).lookingAt() || (has(all, '"') && JSON_FIELD.matcher(all).find())) {
      return Optional.of("the text is JSON, not a story");
    }
    if (has(all, '`') && FENCE.matcher(all).find()) {
      return Optional.of("the text contains a Markdown code fence");
    }
    if ((has(all, '<') || has(all, '[')) && CHAT_MARKUP.matcher(all).find()) {
      return Optional.of("the text contains chat-template markup");
    }
    if (has(body, '#') && HEADING.matcher(body).find()) {
      return Optional.of("the text contains Markdown headings");
    }
    return Optional.empty();
  }

  private static boolean has(String text, char c) {
    return text.indexOf(c) >= 0;
  }

  static Optional<String> language(Draft d) {
    if (!d.checkLanguage()) {
      return Optional.empty();
    }
    return LanguageCheck.mismatch(d.title() + "\n" + d.text(), d.language());
  }
}
