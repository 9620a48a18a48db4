package dev.storymagic.internal;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Makes user-provided text safe to place in a prompt as data: normalised, stripped of control and
 * invisible characters, flattened to one line (so it cannot start a {@code system:} line of its
 * own), template delimiters and chat-markup tokens neutralised, capped in length, and quoted as a
 * JSON string so it can never close its own quotes.
 */
public final class UserText {
  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cf}\\p{Co}\\p{Cn}]");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  // <|im_start|>, [INST], <<SYS>>, <system>, ### Instruction and the like.
  private static final Pattern CHAT_MARKUP =
      Pattern.compile(
          "<\\|[^|>]{0,40}\\|>|\\[/?(?:INST|SYS|SYSTEM)\\]|<<\\s*/?SYS\\s*>>|</?\\s*(?:system|assistant|user|developer|instructions?)\\s*>|#{2,}",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ROLE_PREFIX =
      Pattern.compile("\\b(system|assistant|developer|user)\\s*:", Pattern.CASE_INSENSITIVE);

  private UserText() {}

  /** Sanitises {@code raw} and caps it at {@code maxLength} characters (after sanitising). */
  public static String sanitize(String raw, int maxLength) {
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    s = INVISIBLE.matcher(s).replaceAll("");
    s = CONTROL.matcher(s).replaceAll(" ");
    s = CHAT_MARKUP.matcher(s).replaceAll(" ");
    s = ROLE_PREFIX.matcher(s).replaceAll("$1 -");
    s = s.replace("{", "(").replace("}", ")");
    s = WHITESPACE.matcher(s).replaceAll(" ").strip();
    if (s.length() > maxLength) {
      s = s.substring(0, maxLength).strip() + "…";
    }
    return s;
  }

  /** Sanitises and quotes: the result is a JSON string literal, safe inside any template. */
  public static String quote(String raw, int maxLength) {
    String s = sanitize(raw, maxLength);
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  /**
   * Collapses whitespace and normalises, without quoting: the canonical form used in cache keys.
   */
  public static String canonical(String raw) {
    if (isCanonicalAscii(raw)) {
      // Every cache lookup canonicalises each user-text field; most are already canonical.
      return raw;
    }
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    s = INVISIBLE.matcher(s).replaceAll("");
    return WHITESPACE.matcher(s).replaceAll(" ").strip();
  }

  /**
   * Whether {@code s} is printable ASCII with single spaces between words and none at either end:
   * NFKC leaves such text unchanged, it has no invisible characters and no whitespace to collapse,
   * so it is already in canonical form.
   */
  static boolean isCanonicalAscii(String s) {
    int n = s.length();
    if (n > 0 && (s.charAt(0) == ' ' || s.charAt(n - 1) == ' ')) {
      return false;
    }
    char previous = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || (c == ' ' && previous == ' ')) {
        return false;
      }
      previous = c;
    }
    return true;
  }
}
