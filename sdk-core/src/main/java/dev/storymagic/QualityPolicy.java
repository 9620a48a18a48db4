package dev.storymagic;

/**
 * What the pipeline does with a story that misses a soft {@link QualityReport} check (the word
 * count or the reading grade somewhat outside the band).
 *
 * <p>Hard failures are not governed by this policy: a story with no title, an empty body or fewer
 * than half the band's minimum words, markup in the text (JSON, code fences, chat-template tokens,
 * headings) or plainly the wrong language is always regenerated within the attempt budget, and if
 * every attempt fails the request ends in {@link StoryMagicException.ModelFailure} with reason
 * {@link StoryMagicException.ModelFailure.Reason#UNUSABLE_STORY}. Such a story is never returned,
 * stored or cached.
 */
public enum QualityPolicy {
  /**
   * Return the story with its report; {@link QualityReport#passed()} tells the caller. The default.
   */
  ACCEPT_WITH_FLAG,
  /**
   * Ask the model again (within the pipeline's attempt budget); if every attempt misses, return the
   * last story that missed only soft checks, with its report.
   */
  REGENERATE
}
