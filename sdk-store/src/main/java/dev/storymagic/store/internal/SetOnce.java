package dev.storymagic.store.internal;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Set;

/**
 * The options one builder was given, so that none is given twice: a builder starts from defaults or
 * from an existing value, so a field's own value cannot tell whether the caller set it. Not API.
 */
public final class SetOnce {
  private final Set<String> given = new HashSet<>();

  /**
   * {@code value}, the first time {@code option} is given.
   *
   * @throws NullPointerException naming the option when {@code value} is null
   * @throws IllegalStateException "{@code option} was already set" the second time
   */
  public <T> T set(String option, T value) {
    requireNonNull(value, option);
    if (!given.add(option)) {
      throw new IllegalStateException(option + " was already set");
    }
    return value;
  }
}
