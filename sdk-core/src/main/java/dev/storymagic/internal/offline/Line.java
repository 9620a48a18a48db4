package dev.storymagic.internal.offline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One compiled sentence pattern: literal text with {@code {slot}} holes and {@code [a|b|c]}
 * choices, one of which is picked each time the line is rendered. Choices may hold slots but not
 * other choices. Compiled once when the content loads; rendering is a single pass with no parsing.
 * A slot that starts a sentence has its value capitalised.
 *
 * <p>Choices are how the material stays varied without a pattern per wording: "[Soon|Before long],
 * they [reached|came to] {waypoint}" is four sentences that read naturally, and two stories that
 * use the same pattern rarely share the same sentence.
 */
final class Line {
  private final String source;

  /** Parts in order: a String literal, a Slot, or a Line[] of alternatives. */
  private final Object[] parts;

  private final int variants;

  private record Slot(String name) {}

  private Line(String source, Object[] parts) {
    this.source = source;
    this.parts = parts;
    int v = 1;
    for (Object p : parts) {
      if (p instanceof Line[] alternatives) {
        int sum = 0;
        for (Line a : alternatives) {
          sum += a.variants;
        }
        v = (int) Math.min(1_000_000L, (long) v * sum);
      }
    }
    this.variants = v;
  }

  static Line compile(String source) {
    return compile(source, true);
  }

  private static Line compile(String source, boolean allowChoices) {
    List<Object> parts = new ArrayList<>();
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
        if (name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('[') >= 0) {
          throw new IllegalArgumentException("bad slot '" + name + "' in: " + source);
        }
        flush(literal, parts);
        parts.add(new Slot(name));
        i = close + 1;
      } else if (c == '[') {
        if (!allowChoices) {
          throw new IllegalArgumentException("a choice inside a choice in: " + source);
        }
        int close = source.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed choice in: " + source);
        }
        String body = source.substring(i + 1, close);
        List<Line> alternatives = new ArrayList<>();
        int start = 0;
        for (int j = 0; j <= body.length(); j++) {
          if (j == body.length() || body.charAt(j) == '|') {
            alternatives.add(compile(body.substring(start, j), false));
            start = j + 1;
          }
        }
        if (alternatives.size() < 2) {
          throw new IllegalArgumentException(
              "a choice needs at least two alternatives in: " + source);
        }
        flush(literal, parts);
        parts.add(alternatives.toArray(new Line[0]));
        i = close + 1;
      } else if (c == '}' || c == ']') {
        throw new IllegalArgumentException("stray " + c + " in: " + source);
      } else {
        literal.append(c);
        i++;
      }
    }
    flush(literal, parts);
    return new Line(source, parts.toArray());
  }

  private static void flush(StringBuilder literal, List<Object> parts) {
    if (literal.length() > 0) {
      parts.add(literal.toString());
      literal.setLength(0);
    }
  }

  /** Every slot the line may use, in any of its choices. */
  Set<String> slotNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Object p : parts) {
      if (p instanceof Slot s) {
        out.add(s.name());
      } else if (p instanceof Line[] alternatives) {
        for (Line a : alternatives) {
          out.addAll(a.slotNames());
        }
      }
    }
    return out;
  }

  boolean uses(String slot) {
    return slotNames().contains(slot);
  }

  /** How many different sentences the choices alone can give (capped at a million). */
  int variants() {
    return variants;
  }

  /** Renders a sentence: like {@link #fill} with the first letter capitalised. */
  String render(Map<String, String> values, SplittableRandom random) {
    return Text.capitalize(fill(values, random));
  }

  /**
   * Fills the slots with the given values (every slot the chosen wording uses must be present),
   * picking one alternative of every choice; a value that starts a sentence inside the line is
   * capitalised, the line's own start is left as written.
   */
  String fill(Map<String, String> values, SplittableRandom random) {
    StringBuilder out = new StringBuilder(source.length() + 48);
    append(out, values, random);
    return out.toString();
  }

  private void append(StringBuilder out, Map<String, String> values, SplittableRandom random) {
    for (Object p : parts) {
      if (p instanceof String literal) {
        out.append(literal);
      } else if (p instanceof Slot slot) {
        String value = values.get(slot.name());
        if (value == null) {
          throw new IllegalStateException("no value for slot {" + slot.name() + "} in: " + source);
        }
        out.append(out.length() > 0 && atSentenceStart(out) ? Text.capitalize(value) : value);
      } else {
        Line[] alternatives = (Line[]) p;
        alternatives[random.nextInt(alternatives.length)].append(out, values, random);
      }
    }
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
      return !Text.endsWithAbbreviation(out, i);
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
