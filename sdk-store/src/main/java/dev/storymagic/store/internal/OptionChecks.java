package dev.storymagic.store.internal;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The checks the store's configuration builders share, each failing with a message that names the
 * option and its value. Not API.
 */
public final class OptionChecks {
  private OptionChecks() {}

  /**
   * {@code value}, when the option was not set before.
   *
   * @throws IllegalStateException "{@code option} was already set" otherwise
   */
  public static <T> T once(T current, T value, String option) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set");
    }
    return value;
  }

  /**
   * {@code value} stripped, when it is not blank.
   *
   * @throws NullPointerException naming the option when {@code value} is null
   * @throws IllegalArgumentException "{@code name} must not be blank" otherwise
   */
  public static String notBlank(String value, String name) {
    requireNonNull(value, name);
    require(!value.isBlank(), "%s must not be blank", name);
    return value.strip();
  }

  /**
   * {@code value}, when within {@code min..max}.
   *
   * @throws IllegalArgumentException "{@code name} must be within min..max: value" otherwise
   */
  public static int within(int value, int min, int max, String name) {
    require(value >= min && value <= max, "%s must be within %d..%d: %d", name, min, max, value);
    return value;
  }

  /**
   * Checks an option's value.
   *
   * @throws IllegalArgumentException with the formatted message when {@code condition} is false
   */
  public static void require(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }
}
