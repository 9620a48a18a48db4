package dev.storymagic.internal.safety;

/**
 * Text folded for matching: lower-case ASCII letters, single spaces between words, {@code '.'} at
 * sentence ends, apostrophes inside words, digits where they are not disguised letters, and {@code
 * '#'} for letters of other scripts. Every folded character remembers the span of the original text
 * it came from, so findings point at what the user actually wrote.
 *
 * <p>Not API.
 */
public final class NormalizedText {
  final String source;
  final char[] chars;
  final int length;
  final int[] srcStart;
  final int[] srcEnd;

  /**
   * Characters that came from a run of three or more repeats; null unless emphasis was squeezed.
   */
  final boolean[] emphasised;

  /** Whether the source had a run of three or more identical letters. */
  final boolean hasEmphasis;

  NormalizedText(
      String source,
      char[] chars,
      int length,
      int[] srcStart,
      int[] srcEnd,
      boolean[] emphasised,
      boolean hasEmphasis) {
    this.source = source;
    this.chars = chars;
    this.length = length;
    this.srcStart = srcStart;
    this.srcEnd = srcEnd;
    this.emphasised = emphasised;
    this.hasEmphasis = hasEmphasis;
  }

  /** The folded text, for tests and diagnostics. */
  public String text() {
    return new String(chars, 0, length);
  }

  public String source() {
    return source;
  }

  /** Offset in the source of the folded character at {@code index}. */
  public int sourceStart(int index) {
    return srcStart[index];
  }

  /** Offset in the source just past the folded character at {@code index}. */
  public int sourceEnd(int index) {
    return srcEnd[index];
  }

  static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || c == '#';
  }
}
