package dev.storymagic.internal.safety;

import dev.storymagic.SafetyCategory;
import dev.storymagic.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at the raw user text for what folding would erase: chat-template tokens and role delimiters
 * ({@code <|im_start|>}, {@code [INST]}, {@code <<SYS>>}, {@code ### System:}, a line starting
 * {@code system: you ...}) and base64 payloads, which it decodes so that the caller can scan the
 * decoded text. Only the user's text (input stage) is looked at: a story never holds them.
 *
 * <p>Stateless and thread-safe. Not API.
 */
final class EncodedScanner {
  /** Shortest base64 run worth decoding: 16 characters hold 12 bytes, about two words. */
  static final int MIN_BASE64 = 16;

  /** Longest decoded payload rescanned; a longer run is cut there. */
  static final int MAX_DECODED = 4_096;

  private static final Pattern DELIMITER =
      Pattern.compile(
          "<\\|\\s*[A-Za-z_]{2,30}\\s*\\|>" // <|im_start|>, <|eot_id|>, <|system|>
              + "|\\[/?\\s*INST\\s*\\]" // [INST] [/INST]
              + "|<<\\s*/?\\s*SYS\\s*>>" // <<SYS>>
              + "|</?s>" // </s>
              + "|(?m:^[ \\t]*#{2,4}[ \\t]*(?:system|instruction|instructions|assistant|response|human)\\b)"
              + "|(?m:^[ \\t]*(?:system|assistant)[ \\t]*:[ \\t]*(?:you|ignore|disregard|forget|new|from now|override)\\b)",
          Pattern.CASE_INSENSITIVE);

  private EncodedScanner() {}

  /** Reports chat-template tokens and role delimiters as decisive prompt injection. */
  static void delimiters(String text, List<SafetyScanner.Hit> hits) {
    if (text.indexOf('<') < 0
        && text.indexOf('[') < 0
        && text.indexOf('#') < 0
        && text.indexOf(':') < 0) {
      return;
    }
    Matcher m = DELIMITER.matcher(text);
    while (m.find()) {
      hits.add(
          new SafetyScanner.Hit(
              SafetyCategory.PROMPT_INJECTION, Severity.HIGH, 1.0, m.start(), m.end()));
      return; // one is enough to block; the span shows the first
    }
  }

  /** A decoded base64 run and the span of the source text it came from. */
  record Decoded(String text, int start, int end) {}

  /**
   * Base64 runs of at least {@value #MIN_BASE64} characters that decode to mostly printable text
   * (at least 90 % printable ASCII or whitespace, at least one space), in order.
   */
  static List<Decoded> base64(String text) {
    List<Decoded> out = null;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!isBase64(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean lower = false;
      boolean upper = false;
      while (i < n && isBase64(text.charAt(i))) {
        char c = text.charAt(i);
        lower |= c >= 'a' && c <= 'z';
        upper |= c >= 'A' && c <= 'Z';
        i++;
      }
      int end = i;
      while (i < n && text.charAt(i) == '=') {
        i++;
      }
      // Encoded English mixes cases; a long word in one case is a word, not a payload.
      if (end - start >= MIN_BASE64 && lower && upper) {
        String decoded = decode(text, start, (i - start) % 4 == 0 ? i : end);
        if (decoded != null) {
          if (out == null) {
            out = new ArrayList<>(2);
          }
          out.add(new Decoded(decoded, start, i));
        }
      }
    }
    return out == null ? List.of() : out;
  }

  private static String decode(String text, int start, int end) {
    // Whole quanta only (a payload with its padding is one already), at most MAX_DECODED bytes.
    int usable = Math.min((end - start) & ~3, MAX_DECODED / 3 * 4);
    if (usable < MIN_BASE64) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.substring(start, start + usable));
    } catch (IllegalArgumentException e) {
      return null;
    }
    int printable = 0;
    boolean space = false;
    for (byte b : bytes) {
      if ((b >= 32 && b < 127) || b == '\n' || b == '\r' || b == '\t') {
        printable++;
      }
      space |= b == ' ';
    }
    if (!space || printable * 10 < bytes.length * 9) {
      return null;
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static boolean isBase64(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/';
  }
}
