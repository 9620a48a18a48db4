package dev.storymagic.safety.eval;

import dev.storymagic.SafetyPolicy;
import dev.storymagic.spi.SafetyFilter;

/**
 * Makes a {@link SafetyFilter} the harness can score, found by {@link #name()} through {@link
 * java.util.ServiceLoader}: a module that ships a filter lists its provider in {@code
 * META-INF/services/dev.storymagic.safety.eval.SafetyFilterProvider} and is put on the harness's
 * class path, so the harness never depends on it at compile time.
 */
public interface SafetyFilterProvider {

  /** The name given to {@code --filter}, such as {@code "local"}; lower case, no spaces. */
  String name();

  /** One line for {@code --help}. */
  default String description() {
    return name();
  }

  /** A new filter; the harness calls it once per run and shares it across age groups. */
  SafetyFilter create();

  /** The policy the filter is scored under: the one an application using it would configure. */
  default SafetyPolicy policy() {
    return SafetyPolicy.defaults();
  }
}
