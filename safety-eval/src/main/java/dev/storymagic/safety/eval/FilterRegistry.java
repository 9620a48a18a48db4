package dev.storymagic.safety.eval;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link SafetyFilterProvider}s on the class path, by name. */
public final class FilterRegistry {
  private final Map<String, SafetyFilterProvider> providers;

  private FilterRegistry(Map<String, SafetyFilterProvider> providers) {
    this.providers = providers;
  }

  /** Every provider {@link ServiceLoader} finds with this class's loader. */
  public static FilterRegistry load() {
    Map<String, SafetyFilterProvider> byName = new TreeMap<>();
    for (SafetyFilterProvider p : ServiceLoader.load(SafetyFilterProvider.class, FilterRegistry.class.getClassLoader())) {
      SafetyFilterProvider previous = byName.putIfAbsent(p.name(), p);
      if (previous != null) {
        throw new IllegalStateException("two safety filter providers are named '" + p.name() + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return new FilterRegistry(byName);
  }

  /** The provider called {@code name}; the message lists the names there are. */
  public SafetyFilterProvider get(String name) {
    SafetyFilterProvider p = providers.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no safety filter named '" + name + "' on the class path; available: "
          + String.join(", ", providers.keySet())
          + " (a filter from another module needs that module on the class path)");
    }
    return p;
  }

  public Map<String, SafetyFilterProvider> all() {
    return java.util.Collections.unmodifiableMap(providers);
  }
}
