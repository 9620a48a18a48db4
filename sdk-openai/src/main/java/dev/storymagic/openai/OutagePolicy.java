package dev.storymagic.openai;

/**
 * What a stage does when a remote safety filter ({@link OpenAiModerationFilter}, {@link
 * LlamaGuardFilter}) cannot answer: its server failed, was too slow, sent an unreadable answer, or
 * has no such endpoint at all.
 */
public enum OutagePolicy {
  /** Report a blocking finding: nothing passes unchecked. */
  FAIL_CLOSED,
  /** Report nothing: the other filters decide alone. */
  FAIL_OPEN
}
