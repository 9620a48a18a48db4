package dev.storymagic.safety.eval;

import dev.storymagic.SafetyPolicy;
import dev.storymagic.spi.SafetyFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The filters on the class path, by name. Two ways in, so that a module this one depends on (at run
 * time, to score it) never has to depend back on this one:
 *
 * <ul>
 *   <li>a {@link SafetyFilterProvider} listed in {@code
 *       META-INF/services/dev.storymagic.safety.eval.SafetyFilterProvider} (for code that already
 *       depends on the harness);
 *   <li>a line {@code name=fully.qualified.Class} in a {@code
 *       META-INF/storymagic/safety-filters.properties} resource, the class having {@code public
 *       static SafetyFilter create()} and, optionally, {@code public static SafetyPolicy policy()}
 *       (default: {@link SafetyPolicy#defaults()}). This needs nothing but sdk-core, so a filter
 *       module ships the file and the harness lists the module as a {@code runtime} dependency.
 * </ul>
 */
public final class FilterRegistry {
  /** The resource a filter module lists its filters in. */
  public static final String RESOURCE = "META-INF/storymagic/safety-filters.properties";

  private final Map<String, SafetyFilterProvider> providers;

  private FilterRegistry(Map<String, SafetyFilterProvider> providers) {
    this.providers = providers;
  }

  /** Every provider found with this class's loader. */
  public static FilterRegistry load() {
    return load(FilterRegistry.class.getClassLoader());
  }

  /** Every provider {@code loader} finds. */
  public static FilterRegistry load(ClassLoader loader) {
    Map<String, SafetyFilterProvider> byName = new TreeMap<>();
    for (SafetyFilterProvider p : ServiceLoader.load(SafetyFilterProvider.class, loader)) {
      register(byName, p, p.getClass().getName());
    }
    try {
      Enumeration<URL> files = loader.getResources(RESOURCE);
      while (files.hasMoreElements()) {
        URL url = files.nextElement();
        Properties entries = new Properties();
        try (InputStream in = url.openStream()) {
          entries.load(in);
        }
        for (String name :
            new TreeMap<>(entries).keySet().stream().map(Object::toString).toList()) {
          String className = entries.getProperty(name).strip();
          register(
              byName,
              new FactoryProvider(name, className, loader, url),
              className + " (" + url + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " resources", e);
    }
    return new FilterRegistry(byName);
  }

  private static void register(
      Map<String, SafetyFilterProvider> byName, SafetyFilterProvider p, String where) {
    SafetyFilterProvider previous = byName.putIfAbsent(p.name(), p);
    if (previous != null) {
      throw new IllegalStateException(
          "two safety filters are named '"
              + p.name()
              + "': "
              + describe(previous)
              + " and "
              + where);
    }
  }

  private static String describe(SafetyFilterProvider p) {
    return p instanceof FactoryProvider f
        ? f.className + " (" + f.source + ")"
        : p.getClass().getName();
  }

  /** The provider called {@code name}; the message lists the names there are. */
  public SafetyFilterProvider get(String name) {
    SafetyFilterProvider p = providers.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "no safety filter named '"
              + name
              + "' on the class path; available: "
              + String.join(", ", providers.keySet())
              + " (a filter from another module needs that module on the class path)");
    }
    return p;
  }

  public Map<String, SafetyFilterProvider> all() {
    return Collections.unmodifiableMap(providers);
  }

  /**
   * A filter listed in {@link #RESOURCE}: static factory methods found by reflection when first
   * used.
   */
  private static final class FactoryProvider implements SafetyFilterProvider {
    private final String name;
    private final String className;
    private final ClassLoader loader;
    private final URL source;

    FactoryProvider(String name, String className, ClassLoader loader, URL source) {
      this.name = name;
      this.className = className;
      this.loader = loader;
      this.source = source;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return className + ".create()";
    }

    @Override
    public SafetyFilter create() {
      return invoke("create", SafetyFilter.class)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      className
                          + " (listed as '"
                          + name
                          + "' in "
                          + source
                          + ") has no public static SafetyFilter create()"));
    }

    @Override
    public SafetyPolicy policy() {
      return invoke("policy", SafetyPolicy.class).orElseGet(SafetyPolicy::defaults);
    }

    private <T> java.util.Optional<T> invoke(String method, Class<T> type) {
      Class<?> c;
      try {
        c = Class.forName(className, true, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(
            "safety filter '"
                + name
                + "' names "
                + className
                + " in "
                + source
                + ", which is not on the class path",
            e);
      }
      Method m;
      try {
        m = c.getMethod(method);
      } catch (NoSuchMethodException e) {
        return java.util.Optional.empty();
      }
      if (!Modifier.isStatic(m.getModifiers()) || !type.isAssignableFrom(m.getReturnType())) {
        return java.util.Optional.empty();
      }
      try {
        return java.util.Optional.of(type.cast(m.invoke(null)));
      } catch (IllegalAccessException e) {
        throw new IllegalArgumentException(className + "." + method + "() is not accessible", e);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(
            className + "." + method + "() failed: " + e.getCause(), e.getCause());
      }
    }
  }
}
