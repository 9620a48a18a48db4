package dev.storymagic.safety;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.internal.safety.SafetyScanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The labelled texts under {@code src/test/resources/safety}. */
final class SafetyCorpus {
  private SafetyCorpus() {}

  /** An unsafe text, the categories it must be blocked for, and the age group it is checked for. */
  record Unsafe(String text, Set<SafetyCategory> categories, AgeGroup age, int line) {}

  /** A safe text and the youngest age group it must be allowed for (and every older one). */
  record Safe(String text, AgeGroup minAge, int line) {}

  static List<Unsafe> unsafe() {
    List<Unsafe> out = new ArrayList<>();
    for (String[] row : rows("unsafe.tsv")) {
      String labels = row[0];
      AgeGroup age = AgeGroup.AGES_9_12;
      int at = labels.indexOf('@');
      if (at >= 0) {
        age = ageOf(labels.substring(at + 1));
        labels = labels.substring(0, at);
      }
      Set<SafetyCategory> categories = EnumSet.noneOf(SafetyCategory.class);
      for (String label : labels.split(",")) {
        SafetyCategory category =
            SafetyCategory.fromLabel(label.strip())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "unknown category '" + label + "' at line " + row[2]));
        categories.add(category);
        // A sub-category is reported with its parent: graphic violence is violence too.
        categories.add(SafetyScanner.parent(category));
      }
      out.add(new Unsafe(row[1], categories, age, Integer.parseInt(row[2])));
    }
    return out;
  }

  static List<Safe> safe() {
    List<Safe> out = new ArrayList<>();
    for (String[] row : rows("safe.tsv")) {
      out.add(new Safe(row[1], ageOf(row[0]), Integer.parseInt(row[2])));
    }
    return out;
  }

  private static AgeGroup ageOf(String label) {
    return AgeGroup.parse(label)
        .orElseThrow(() -> new IllegalArgumentException("unknown age group '" + label + "'"));
  }

  private static List<String[]> rows(String file) {
    InputStream in = SafetyCorpus.class.getResourceAsStream("/safety/" + file);
    if (in == null) {
      throw new IllegalStateException("missing test resource /safety/" + file);
    }
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
          throw new IllegalStateException(file + ":" + number + ": expected LABEL<TAB>TEXT");
        }
        rows.add(
            new String[] {
              line.substring(0, tab), unescape(line.substring(tab + 1)), Integer.toString(number)
            });
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\u", i) && i + 6 <= s.length()) {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }
}
