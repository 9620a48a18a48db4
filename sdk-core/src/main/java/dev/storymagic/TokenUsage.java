package dev.storymagic;

/** Tokens a model call consumed, as the provider reported them (zero when it does not report). */
public record TokenUsage(long inputTokens, long outputTokens) {
  public static final TokenUsage NONE = new TokenUsage(0, 0);

  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts cannot be negative: " + inputTokens + ", " + outputTokens);
    }
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
  }
}
