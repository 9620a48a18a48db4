package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Set;

/**
 * The options one builder was given, so that none is given twice: a builder starts from defaults or
 * from an existing value, so a field's own value cannot tell whether the caller set it. Not API.
 */
final class GivenOptions {
  private final Set<String> given = new HashSet<>();

  /**
   * Marks {@code option} as given.
   *
   * @throws IllegalStateException "{@code option} was already set" the second time
   */
  void once(String option) {
    if (!given.add(option)) {
      throw new IllegalStateException(option + " was already set");
    }
  }

  /**
   * Marks {@code option} as given and returns its {@code value}.
   *
   * @throws IllegalStateException "{@code option} was already set" the second time
   * @throws NullPointerException naming the option when {@code value} is null
   */
  <T> T set(String option, T value) {
    once(option);
    return requireNonNull(value, option);
  }
}
