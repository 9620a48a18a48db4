package dev.storymagic.internal.safety;

import java.text.Normalizer;

/**
 * Folds text for matching in one pass over its characters: case, accents, Unicode look-alikes
 * (Cyrillic and Greek letters, full-width and mathematical letters, small capitals), invisible
 * characters (zero-width spaces and joiners, soft hyphens, combining marks), letters disguised as
 * digits or symbols inside words ({@code k1ll}, {@code a$$}, {@code sh!t}), separators inside words
 * ({@code s.e.x}, {@code f*ck}) and runs of repeated letters ({@code kiiiill}). Words whose letters
 * were spaced out ({@code s e x}, {@code k-i-l-l}) are joined again when three or more single
 * letters follow each other.
 *
 * <p>Stateless and thread-safe. Not API.
 */
public final class TextNormalizer {
  private static final char DROP = 0;
  private static final char[] FOLD = buildFoldTable();

  private TextNormalizer() {}

  /**
   * Folds {@code text}. Runs of three or more identical letters keep two letters, or one when
   * {@code squeezeEmphasis} is set (the classifier then scans both foldings, so that both {@code
   * killlll} and {@code fuuuck} are recognised).
   */
  public static NormalizedText normalize(String text, boolean squeezeEmphasis) {
    return new Folding(text, squeezeEmphasis).fold();
  }

  /**
   * One folding in progress: the folded characters so far, each with the span of the text it came
   * from ({@code ss}/{@code se}) and, when emphasis is squeezed, whether it stands for a run.
   */
  private static final class Folding {
    private final String text;
    private final int n;
    private final char[] out;
    private final int[] ss;
    private final int[] se;
    private final boolean[] emph;
    private int len;
    private boolean sawEmphasis;
    private boolean singleLetters;
    private boolean prevOneWasL;

    Folding(String text, boolean squeezeEmphasis) {
      this.text = text;
      this.n = text.length();
      this.out = new char[n + 1];
      this.ss = new int[n + 1];
      this.se = new int[n + 1];
      this.emph = squeezeEmphasis ? new boolean[n + 1] : null;
    }

    NormalizedText fold() {
      int i = 0;
      while (i < n) {
        int cp = text.codePointAt(i);
        int start = i;
        i += cp < 0x10000 ? 1 : 2;
        char f = cp < 0x10000 ? FOLD[cp] : foldSupplementary(cp);
        if (f == DROP) {
          continue;
        }
        char c = substitute(f, start, i);
        if (c != DROP) {
          emit(c, start, i);
        }
      }
      if (len > 0 && out[len - 1] == ' ') {
        len--;
      }
      if (singleLetters) {
        len = joinSpacedLetters(out, ss, se, emph, len);
      }
      return new NormalizedText(text, out, len, ss, se, emph, sawEmphasis);
    }

    /**
     * What the folded character {@code f} (text {@code start..end}) stands for where it is: a
     * symbol or digit inside a word is the letter it disguises, a masking star or a dot between
     * letters vanishes ({@code DROP}), elsewhere a symbol is a space or a full stop.
     */
    private char substitute(char f, int start, int end) {
      boolean letterBefore = len > 0 && isLetter(out[len - 1]);
      boolean letterAfter = end < n && isLetter(peek(text, end));
      char c;
      boolean oneAsL = false;
      switch (f) {
        case '@':
          c = letterBefore || letterAfter ? 'a' : ' ';
          break;
        case '$':
          c = letterBefore || letterAfter ? 's' : ' ';
          break;
        case '!':
          c = letterBefore && letterAfter ? 'i' : '.';
          break;
        case '|':
          c = letterBefore && letterAfter ? 'l' : ' ';
          break;
        case '*':
          // f*ck, sh**: masking stars vanish inside a word.
          if (letterBefore || letterAfter || (end < n && text.charAt(end) == '*')) {
            return DROP;
          }
          c = ' ';
          break;
        case '\'':
          c = letterBefore && letterAfter ? '\'' : ' ';
          break;
        case '~': // a dot written between letters: s.e.x, f.u.c.k
          if (letterBefore && letterAfter) {
            return DROP;
          }
          c = '.';
          break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
          c = f;
          if ((letterBefore || letterAfter || (prevOneWasL && f == '1')) && leetWord(text, start)) {
            c = leet(f, len > 0 ? out[len - 1] : ' ', prevOneWasL);
            oneAsL = f == '1' && c == 'l';
          }
          break;
        default:
          c = f;
      }
      prevOneWasL = oneAsL;
      return c;
    }

    /**
     * Appends {@code c} (text {@code start..end}): no leading or doubled spaces, no space before a
     * full stop, runs of one letter squeezed; notes single letters spaced out for joining later.
     */
    private void emit(char c, int start, int end) {
      if (c == ' ') {
        if (len == 0 || out[len - 1] == ' ' || out[len - 1] == '.') {
          return;
        }
      } else if (c == '.') {
        if (len == 0 || out[len - 1] == '.') {
          return;
        }
        if (out[len - 1] == ' ') {
          len--;
        }
      } else if (isLetter(c) && len >= 1 && out[len - 1] == c) {
        if (absorbRepeat(c, end)) {
          return;
        }
      } else if (isLetter(c)
          && len >= 2
          && out[len - 1] == ' '
          && isLetter(out[len - 2])
          && (len < 3 || !NormalizedText.isWordChar(out[len - 3]))) {
        singleLetters = true;
      }
      out[len] = c;
      ss[len] = start;
      se[len] = end;
      len++;
    }

    /**
     * A letter repeating the last one: absorbed (the run's last letter then spans it too) when it
     * is the third of a run, or any later one; the second is kept.
     */
    private boolean absorbRepeat(char c, int end) {
      if (emph != null && emph[len - 1]) {
        se[len - 1] = end;
        return true;
      }
      if (len >= 2 && out[len - 2] == c) {
        sawEmphasis = true;
        if (emph != null) {
          len--;
          emph[len - 1] = true;
        }
        se[len - 1] = end;
        return true;
      }
      return false;
    }
  }

  /**
   * Joins runs of three or more single letters separated by single spaces: "s e x" becomes "sex".
   */
  private static int joinSpacedLetters(char[] out, int[] ss, int[] se, boolean[] emph, int len) {
    int write = 0;
    int read = 0;
    while (read < len) {
      int runEnd = singleLetterRun(out, read, len);
      if (runEnd > 0) {
        for (int k = read; k < runEnd; k += 2) {
          copy(out, ss, se, emph, k, write++);
        }
        read = runEnd;
        continue;
      }
      copy(out, ss, se, emph, read++, write++);
    }
    return write;
  }

  /**
   * If a run of at least three single letters starts at {@code at}, the index just past its last
   * letter, else -1.
   */
  private static int singleLetterRun(char[] out, int at, int len) {
    int k = at;
    int letters = 0;
    int last = -1;
    while (isLetter(out[k])
        && (k == 0 || !NormalizedText.isWordChar(out[k - 1]))
        && (k + 1 == len || !NormalizedText.isWordChar(out[k + 1]))) {
      letters++;
      last = k;
      if (k + 2 < len && out[k + 1] == ' ') {
        k += 2;
      } else {
        break;
      }
    }
    return letters >= 3 ? last + 1 : -1;
  }

  private static void copy(char[] out, int[] ss, int[] se, boolean[] emph, int from, int to) {
    out[to] = out[from];
    ss[to] = ss[from];
    se[to] = se[from];
    if (emph != null) {
      emph[to] = emph[from];
    }
  }

  /**
   * Whether the word around the digit at {@code at} is a word written in leetspeak: two real
   * letters or more ({@code k1ll}, {@code s3x}), or one letter between digits in a word of three
   * characters or more ({@code 4r3}, {@code 7h3}); not a number with a suffix ({@code 2nd}, {@code
   * 10am}) or a short code ({@code 3d}, {@code 5g}).
   */
  private static boolean leetWord(String text, int at) {
    int letters = tokenLetters(text, at);
    if (letters >= 2) {
      return true;
    }
    if (letters == 0) {
      return false;
    }
    int from = at;
    while (from > 0 && from > at - 32 && isLeetChar(text.charAt(from - 1))) {
      from--;
    }
    int to = at + 1;
    while (to < text.length() && to < at + 32 && isLeetChar(text.charAt(to))) {
      to++;
    }
    if (to - from < 3) {
      return false;
    }
    // One letter: a word only when a digit follows it (4r3), not when the letters close a number
    // (2nd).
    boolean seenLetter = false;
    for (int k = from; k < to; k++) {
      char f = FOLD[text.charAt(k)];
      if (isLetter(f)) {
        seenLetter = true;
      } else if (seenLetter && f >= '0' && f <= '9') {
        return true;
      }
    }
    return false;
  }

  private static boolean isLeetChar(char c) {
    char f = FOLD[c];
    return isLetter(f) || (f >= '0' && f <= '9');
  }

  /**
   * Letters in the word around position {@code at}: a digit is read as a letter only in a word that
   * has at least two real ones ({@code k1ll}, {@code s3x}), not in {@code 3d} or {@code 5g}.
   */
  private static int tokenLetters(String text, int at) {
    return lettersAlong(text, at, -1) + lettersAlong(text, at, 1);
  }

  /** Letters from {@code at} in one direction ({@code step} -1 or 1), up to the word's end. */
  private static int lettersAlong(String text, int at, int step) {
    int letters = 0;
    for (int k = at + step; k >= 0 && k < text.length() && Math.abs(k - at) < 32; k += step) {
      char f = FOLD[text.charAt(k)];
      if (isLetter(f)) {
        letters++;
      } else if (!staysInWord(f)) {
        break;
      }
    }
    return letters;
  }

  /** Whether a folded character other than a letter still belongs to the word around it. */
  private static boolean staysInWord(char f) {
    return f == DROP
        || (f >= '0' && f <= '9')
        || f == '$'
        || f == '@'
        || f == '!'
        || f == '|'
        || f == '*';
  }

  private static char leet(char digit, char before, boolean prevOneWasL) {
    switch (digit) {
      case '0':
        return 'o';
      case '1':
        return before == 'i' || prevOneWasL ? 'l' : 'i';
      case '3':
        return 'e';
      case '4':
        return 'a';
      case '5':
        return 's';
      case '7':
        return 't';
      case '9':
        return 'g';
      default:
        return digit;
    }
  }

  private static char peek(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
      return foldSupplementary(text.codePointAt(i));
    }
    char f = FOLD[c];
    if ((f >= '0' && f <= '9') || f == '@' || f == '$' || f == '!' || f == '|') {
      // A disguised letter followed by a letter: k1ll, a$$hole. Look one further.
      if (i + 1 < text.length()) {
        char g = FOLD[text.charAt(i + 1)];
        return isLetter(g) ? 'a' : f;
      }
    }
    return f;
  }

  static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static char foldSupplementary(int cp) {
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF) { // regional indicator letters
      return (char) ('a' + (cp - 0x1F1E6));
    }
    if (Character.getType(cp) == Character.NON_SPACING_MARK
        || Character.getType(cp) == Character.FORMAT) {
      return DROP;
    }
    if (Character.isLetter(cp) || Character.isDigit(cp)) {
      String folded = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
      if (folded.length() == 1 && folded.charAt(0) < 128) {
        return FOLD[folded.charAt(0)];
      }
      return Character.isLetter(cp) ? '#' : ' ';
    }
    return ' ';
  }

  private static char[] buildFoldTable() {
    char[] t = new char[0x10000];
    for (int c = 0; c < 128; c++) {
      t[c] = foldAscii((char) c);
    }
    for (int c = 128; c < 0x10000; c++) {
      t[c] = foldOther((char) c);
    }
    String homoglyphs =
        // Cyrillic
        "аaвbеeёeкkмmнhоoрpсcтtуyхxѕsіiїiјjԁdһhӏlԛqԝwѡwьbпnгrлnиuдdзe"
            // Greek
            + "αaβbεeηnιiκkνvοoρpτtυuχxγyωwϲcϳjδdλlμuσoςs"
            // Latin look-alikes and small capitals
            + "ıiłløođdħhɑaɡgɩiʀrᴀaʙbᴄcᴅdᴇeꜰfɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘpꜱsᴛtᴜuᴠvᴡwʏyᴢzßsæaœoþpðd";
    for (int k = 0; k + 1 < homoglyphs.length(); k += 2) {
      char from = homoglyphs.charAt(k);
      char to = homoglyphs.charAt(k + 1);
      t[from] = to;
      t[Character.toUpperCase(from)] = to;
    }
    return t;
  }

  private static char foldOther(char ch) {
    if (Character.isSurrogate(ch)) {
      return ' ';
    }
    int type = Character.getType(ch);
    if (type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.FORMAT
        || type == Character.COMBINING_SPACING_MARK) {
      return DROP;
    }
    if ("\u2018\u2019\u02BC\u00B4\u2032".indexOf(ch) >= 0) {
      return '\'';
    }
    if ("\u2010\u2011\u2012\u2013\u2014\u2015\u2212".indexOf(ch) >= 0) {
      return ' ';
    }
    if (ch == '\u2026' || ch == '\u3002' || ch == '\u2028' || ch == '\u2029') {
      return '.';
    }
    if (!mayFoldToAscii(ch)) {
      return Character.isLetter(ch) ? '#' : ' ';
    }
    String nfkc = Normalizer.normalize(String.valueOf(ch), Normalizer.Form.NFKC);
    if (nfkc.length() == 1 && nfkc.charAt(0) < 128) {
      return foldAscii(nfkc.charAt(0));
    }
    if (Character.isLetter(ch)) {
      String nfkd = Normalizer.normalize(String.valueOf(ch), Normalizer.Form.NFKD);
      char base = nfkd.isEmpty() ? ch : Character.toLowerCase(nfkd.charAt(0));
      return base >= 'a' && base <= 'z' ? base : '#';
    }
    return ' ';
  }

  /** The blocks holding accented Latin letters and compatibility forms of ASCII. */
  private static boolean mayFoldToAscii(char c) {
    return c < 0x0250 // Latin-1 Supplement, Latin Extended-A and -B
        || (c >= 0x1D00 && c < 0x1DC0) // phonetic extensions (small capitals)
        || (c >= 0x1E00 && c < 0x1F00) // Latin Extended Additional
        || (c >= 0x2000 && c < 0x2070) // general punctuation
        || (c >= 0x2070 && c < 0x2200) // super- and subscripts, letterlike symbols, number forms
        || (c >= 0x2460 && c < 0x2500) // enclosed alphanumerics
        || (c >= 0xFF00 && c < 0xFFF0); // full-width forms
  }

  private static char foldAscii(char c) {
    if (c >= 'A' && c <= 'Z') {
      return (char) (c + 32);
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      return c;
    }
    switch (c) {
      case '@':
      case '$':
      case '!':
      case '|':
      case '*':
        return c;
      case '.':
        return '~';
      case '?':
      case ';':
      case '\n':
      case '\r':
        return '.';
      case '\'':
      case '`':
        return '\'';
      default:
        return ' ';
    }
  }
}
