package dev.storymagic.internal;

import dev.storymagic.SafetyVerdict;
import dev.storymagic.StoryListener;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import java.util.List;

/**
 * Holds streamed text back until a sentence is complete, checks the sentence with the incremental
 * safety filters, and only then releases it to the consumer. On a violation it releases nothing
 * more and asks the model to stop; the pipeline then ends the stream with an error.
 */
public final class SentenceGate implements ModelStreamListener {
  private final List<SafetyFilter> filters;
  private final SafetyContext context;
  private final StoryListener consumer;
  private final StringBuilder pending = new StringBuilder();
  private volatile SafetyVerdict violation;
  private volatile boolean released;

  /** Null until the first visible character arrives; then whether the text looks like markup. */
  private Boolean markup;

  public SentenceGate(
      List<SafetyFilter> incrementalFilters, SafetyContext context, StoryListener consumer) {
    this.filters = incrementalFilters;
    this.context = context;
    this.consumer = consumer;
  }

  @Override
  public void onDelta(String text) {
    if (violation != null) {
      return;
    }
    pending.append(text);
    if (markup == null) {
      int first = 0;
      while (first < pending.length() && Character.isWhitespace(pending.charAt(first))) {
        first++;
      }
      if (first == pending.length()) {
        return;
      }
      // JSON or a code fence is never shown piecemeal: the quality check judges it whole first.
      markup = "{[`<".indexOf(pending.charAt(first)) >= 0;
    }
    if (markup) {
      return;
    }
    int end;
    while ((end = sentenceEnd(pending)) > 0 && violation == null) {
      String sentence = pending.substring(0, end);
      pending.delete(0, end);
      release(sentence);
    }
  }

  /** Releases whatever is left once the model has finished. */
  public void finish() {
    if (violation == null && pending.length() > 0) {
      String rest = pending.toString();
      pending.setLength(0);
      if (!rest.isBlank()) {
        release(rest);
      }
    }
  }

  @Override
  public boolean isCancelled() {
    return violation != null || consumer.isCancelled();
  }

  /** The verdict that stopped the stream, or null. */
  public SafetyVerdict violation() {
    return violation;
  }

  /** Whether any text reached the consumer. */
  public boolean released() {
    return released;
  }

  private void release(String sentence) {
    SafetyAssessment assessment = SafetyAssessment.empty();
    for (SafetyFilter f : filters) {
      assessment = assessment.merge(f.assess(sentence, context.stage()));
    }
    SafetyVerdict verdict = assessment.verdict(context.ageGroup(), context.policy());
    if (verdict.blocked()) {
      violation = verdict;
      return;
    }
    if (!sentence.isEmpty()) {
      consumer.onText(sentence);
      released = true;
    }
  }

  /** Words whose full stop ends an abbreviation, not a sentence (compared without the stop). */
  private static final java.util.Set<String> ABBREVIATIONS =
      java.util.Set.of(
          "Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Mt", "Jr", "Sr", "Prof", "Capt", "Col", "Gen", "Lt",
          "Sgt", "Rev", "Fr", "Ave", "Rd", "vs", "e.g", "i.e", "approx");

  /**
   * The index just past the first complete sentence and the whitespace after it, or -1. A sentence
   * ends at . ! ? (or a paragraph break), optionally followed by closing quotes, then whitespace. A
   * full stop after a title or other common abbreviation ("Dr.", "Mrs.", "St.") or after a single
   * capital initial ("J.", but not "I.") does not end a sentence.
   */
  static int sentenceEnd(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean terminal = c == '.' || c == '!' || c == '?' || c == '\n';
      if (!terminal || (c == '.' && abbreviationBefore(s, i))) {
        continue;
      }
      int j = i + 1;
      while (j < s.length() && "\"'\u201d\u2019)".indexOf(s.charAt(j)) >= 0) {
        j++;
      }
      if (j < s.length() && Character.isWhitespace(s.charAt(j))) {
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
        // Keep waiting if the whitespace run may continue in the next delta.
        return j < s.length() ? j : -1;
      }
    }
    return -1;
  }

  /** Whether the full stop at {@code dot} closes an abbreviation or an initial. */
  static boolean abbreviationBefore(CharSequence s, int dot) {
    int start = dot;
    while (start > 0 && (Character.isLetter(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
      start--;
    }
    if (start == dot) {
      return false;
    }
    String word = s.subSequence(start, dot).toString();
    return ABBREVIATIONS.contains(word)
        || (word.length() == 1 && Character.isUpperCase(word.charAt(0)) && !word.equals("I"));
  }
}
