package dev.storymagic.store.internal;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The checks the store's configuration values share, each failing with a message that names the
 * option and its value. Not API.
 */
public final class OptionChecks {
  private OptionChecks() {}

  /**
   * {@code value} stripped, when it is not blank.
   *
   * @throws NullPointerException naming the option when {@code value} is null
   * @throws IllegalArgumentException "{@code name} must not be blank" otherwise
   */
  public static String notBlank(String value, String name) {
    return requireText(value, name).strip();
  }

  /**
   * {@code value} as given, when it is not blank: for names that are used exactly as written.
   *
   * @throws NullPointerException naming the option when {@code value} is null
   * @throws IllegalArgumentException "{@code name} must not be blank" otherwise
   */
  public static String requireText(String value, String name) {
    requireNonNull(value, name);
    require(!value.isBlank(), "%s must not be blank", name);
    return value;
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
   * {@code port}, when it is a TCP port (1 to 65535).
   *
   * @throws IllegalArgumentException "port must be within 1..65535: port" otherwise
   */
  public static int checkPort(int port) {
    return within(port, 1, 65_535, "port");
  }

  /**
   * An optional option, its value (when present) passed through {@code check}.
   *
   * @throws NullPointerException naming the option when {@code value} is null
   */
  public static <T> Optional<T> checkPresent(
      Optional<T> value, String name, UnaryOperator<T> check) {
    return requireNonNull(value, name).map(check);
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
