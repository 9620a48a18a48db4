package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.internal.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The versioned prompt templates: a system template holding the age-specific rules, a user template
 * holding the request, and a stricter-instructions fragment added when a story is regenerated after
 * a safety violation.
 *
 * <p>Placeholders are written {@code {{name}}}. Every placeholder is checked when the templates are
 * loaded: an unknown or malformed one fails here, never at request time. Values are inserted in a
 * single pass, so text inside a value is never expanded again. User-provided values are quoted and
 * sanitised before they reach a template.
 */
public final class PromptTemplates {
  /** Placeholders the system template may use. */
  public static final Set<String> SYSTEM_VARIABLES =
      Set.of(
          "age_label",
          "age_rules",
          "min_age",
          "max_age",
          "sentence_words",
          "word_min",
          "word_max",
          "theme_name",
          "theme_guidance",
          "language",
          "extra_rules");

  /** Placeholders the user template may use. */
  public static final Set<String> USER_VARIABLES =
      Set.of(
          "theme_name",
          "characters",
          "setting",
          "moral",
          "idea",
          "word_min",
          "word_max",
          "age_label",
          "language");

  /** Placeholders the stricter-instructions fragment may use. */
  public static final Set<String> STRICTER_VARIABLES = Set.of("rejected_categories");

  private static final String DEFAULT_VERSION = "story-v1";
  private static final PromptTemplates DEFAULTS = fromResources(DEFAULT_VERSION);

  private final String version;
  private final Template system;
  private final Template user;
  private final Template stricter;

  private PromptTemplates(String version, String system, String user, String stricter) {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException(
          "template version is required (it is part of the cache key)");
    }
    this.version = version;
    this.system = Template.parse("system", requireNonNull(system, "system"), SYSTEM_VARIABLES);
    this.user = Template.parse("user", requireNonNull(user, "user"), USER_VARIABLES);
    this.stricter =
        Template.parse("stricter", requireNonNull(stricter, "stricter"), STRICTER_VARIABLES);
    if (!this.user.variables().contains("characters")) {
      throw new IllegalArgumentException("the user template must place {{characters}}");
    }
  }

  /** The built-in templates, version {@code "story-v1"}. */
  public static PromptTemplates defaults() {
    return DEFAULTS;
  }

  /**
   * Templates given as text, for applications that write their own.
   *
   * @throws IllegalArgumentException if a template uses an unknown or malformed placeholder
   */
  public static PromptTemplates of(String version, String system, String user, String stricter) {
    return new PromptTemplates(version, system, user, stricter);
  }

  /**
   * Templates loaded from the class path: {@code dev/storymagic/templates/<version>/system.txt},
   * {@code user.txt} and {@code stricter.txt}, looked up through this class's loader, so an
   * application can ship its own version as resources.
   */
  public static PromptTemplates fromResources(String version) {
    String base = "/dev/storymagic/templates/" + version + "/";
    return new PromptTemplates(
        version, read(base + "system.txt"), read(base + "user.txt"), read(base + "stricter.txt"));
  }

  public String version() {
    return version;
  }

  /** The three templates a prompt is rendered from. */
  public enum Part {
    /** The system message: the age-specific rules. */
    SYSTEM,
    /** The user message: the request's fields, each quoted. */
    USER,
    /** The extra instructions added after an attempt failed the output safety check. */
    STRICTER
  }

  /**
   * Renders one template with the given values; every placeholder the template uses must have a
   * value.
   *
   * @throws IllegalArgumentException if a value is missing
   */
  public String render(Part part, Map<String, String> values) {
    requireNonNull(values, "values");
    return switch (requireNonNull(part, "part")) {
      case SYSTEM -> system.render(values);
      case USER -> user.render(values);
      case STRICTER -> stricter.render(values);
    };
  }

  private static String read(String resource) {
    try (InputStream in = PromptTemplates.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("template resource not found: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + resource, e);
    }
  }
}
