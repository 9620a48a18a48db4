package dev.storymagic.internal.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One compiled sentence pattern: literal text with {@code {slot}} holes. Compiled once when the
 * content loads; rendering is a single pass with no parsing. A slot that starts a sentence has its
 * value capitalised.
 */
final class Line {
  private final String source;
  private final String[] literals;
  private final String[] slots;

  private Line(String source, String[] literals, String[] slots) {
    this.source = source;
    this.literals = literals;
    this.slots = slots;
  }

  static Line compile(String source) {
    List<String> literals = new ArrayList<>();
    List<String> slots = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '{') {
        int close = source.indexOf('}', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed slot in: " + source);
        }
        String name = source.substring(i + 1, close);
        if (name.isEmpty() || name.indexOf('{') >= 0) {
          throw new IllegalArgumentException("bad slot '" + name + "' in: " + source);
        }
        literals.add(literal.toString());
        literal.setLength(0);
        slots.add(name);
        i = close + 1;
      } else if (c == '}') {
        throw new IllegalArgumentException("stray } in: " + source);
      } else {
        literal.append(c);
        i++;
      }
    }
    literals.add(literal.toString());
    return new Line(source, literals.toArray(new String[0]), slots.toArray(new String[0]));
  }

  List<String> slotNames() {
    return List.of(slots);
  }

  boolean uses(String slot) {
    for (String s : slots) {
      if (s.equals(slot)) {
        return true;
      }
    }
    return false;
  }

  /** Renders a sentence: like {@link #fill} with the first letter capitalised. */
  String render(Map<String, String> values) {
    return Text.capitalize(fill(values));
  }

  /**
   * Fills the slots with the given values (every slot this line uses must be present); a value that
   * starts a sentence inside the line is capitalised, the line's own start is left as written.
   */
  String fill(Map<String, String> values) {
    StringBuilder out = new StringBuilder(source.length() + 48);
    out.append(literals[0]);
    for (int i = 0; i < slots.length; i++) {
      String value = values.get(slots[i]);
      if (value == null) {
        throw new IllegalStateException("no value for slot {" + slots[i] + "} in: " + source);
      }
      out.append(out.length() > 0 && atSentenceStart(out) ? Text.capitalize(value) : value);
      out.append(literals[i + 1]);
    }
    return out.toString();
  }

  private static boolean atSentenceStart(StringBuilder out) {
    int i = out.length() - 1;
    while (i >= 0 && out.charAt(i) == ' ') {
      i--;
    }
    if (i < 0) {
      return true;
    }
    char c = out.charAt(i);
    if (c == '.' || c == '!' || c == '?') {
      return true;
    }
    if (c == '"' || c == '\u201c') {
      // an opening quote starts speech: at the line start or after a space
      return i == 0 || out.charAt(i - 1) == ' ';
    }
    return false;
  }

  @Override
  public String toString() {
    return source;
  }
}
