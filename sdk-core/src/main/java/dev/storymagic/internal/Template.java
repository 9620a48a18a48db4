package dev.storymagic.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code {{name}}} template. Parsing checks every placeholder against the allowed names;
 * rendering inserts values in one pass, so a value containing {@code {{...}}} stays literal.
 */
public final class Template {
  private final String name;
  private final List<String> literals;
  private final List<String> placeholders;

  private Template(String name, List<String> literals, List<String> placeholders) {
    this.name = name;
    this.literals = literals;
    this.placeholders = placeholders;
  }

  public static Template parse(String name, String text, Set<String> allowed) {
    List<String> literals = new ArrayList<>();
    List<String> placeholders = new ArrayList<>();
    int pos = 0;
    while (true) {
      int open = text.indexOf("{{", pos);
      int strayClose = text.indexOf("}}", pos);
      if (strayClose >= 0 && (open < 0 || strayClose < open)) {
        throw new IllegalArgumentException(
            "template '" + name + "' has '}}' without '{{' at offset " + strayClose);
      }
      if (open < 0) {
        literals.add(text.substring(pos));
        break;
      }
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new IllegalArgumentException(
            "template '" + name + "' has an unclosed '{{' at offset " + open);
      }
      String variable = text.substring(open + 2, close).trim();
      if (!allowed.contains(variable)) {
        throw new IllegalArgumentException(
            "template '"
                + name
                + "' uses unknown variable {{"
                + variable
                + "}}; allowed: "
                + new java.util.TreeSet<>(allowed));
      }
      literals.add(text.substring(pos, open));
      placeholders.add(variable);
      pos = close + 2;
    }
    return new Template(name, List.copyOf(literals), List.copyOf(placeholders));
  }

  /** The placeholders this template uses. */
  public Set<String> variables() {
    return new LinkedHashSet<>(placeholders);
  }

  /**
   * Renders with {@code values}, which must hold every placeholder.
   *
   * @throws IllegalArgumentException if a value is missing (a programming error in the caller)
   */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder(256);
    for (int i = 0; i < placeholders.size(); i++) {
      out.append(literals.get(i));
      String value = values.get(placeholders.get(i));
      if (value == null) {
        throw new IllegalArgumentException(
            "no value for {{" + placeholders.get(i) + "}} in template '" + name + "'");
      }
      out.append(value);
    }
    out.append(literals.get(literals.size() - 1));
    return out.toString();
  }
}
