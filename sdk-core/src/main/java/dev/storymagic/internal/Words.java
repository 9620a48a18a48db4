package dev.storymagic.internal;

import java.util.List;
import java.util.Set;

/**
 * Fixed word lists written as text, so a list of a hundred short words reads as a paragraph rather
 * than a hundred lines. Not API.
 */
public final class Words {
  private Words() {}

  /**
   * The words of {@code texts}, separated by white space, as an immutable set.
   *
   * @throws IllegalArgumentException if a word is given twice, as {@link Set#of} does
   */
  public static Set<String> setOf(String... texts) {
    return Set.of(String.join(" ", texts).strip().split("\\s+"));
  }

  /** The words of {@code texts}, separated by white space, as an immutable list in their order. */
  public static List<String> listOf(String... texts) {
    return List.of(String.join(" ", texts).strip().split("\\s+"));
  }
}
