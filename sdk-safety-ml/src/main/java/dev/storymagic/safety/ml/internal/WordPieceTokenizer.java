package dev.storymagic.safety.ml.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * The uncased BERT tokenizer of the MiniLM model (normaliser {@code BertNormalizer} with lower case
 * and accent stripping, pre-tokeniser {@code BertPreTokenizer}, model {@code WordPiece}), read from
 * the model's own {@code tokenizer.json}.
 *
 * <p>Written here rather than taken from a native tokenizer library on purpose: the one native
 * binding for the JVM needs 1.3 s to start, extracts a 14 MB library per platform into the user's
 * home directory (which a read-only container cannot offer) and adds 50 MB of natives. This class
 * loads in tens of milliseconds and is checked token for token against that library in the tests.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
  public static final int CLS = 101;
  public static final int SEP = 102;
  private static final int MAX_CHARS_PER_WORD = 100;

  private final Map<String, Integer> vocab;
  private final int unk;

  private WordPieceTokenizer(Map<String, Integer> vocab) {
    this.vocab = vocab;
    Integer unkId = vocab.get("[UNK]");
    if (unkId == null
        || !Integer.valueOf(CLS).equals(vocab.get("[CLS]"))
        || !Integer.valueOf(SEP).equals(vocab.get("[SEP]"))) {
      throw new IllegalArgumentException(
          "tokenizer.json is not an uncased BERT WordPiece vocabulary");
    }
    this.unk = unkId;
  }

  /**
   * Reads the {@code model.vocab} of a Hugging Face {@code tokenizer.json}. Streams the file rather
   * than building a tree of its 30,000 entries: loading is part of every start-up.
   */
  public static WordPieceTokenizer load(InputStream tokenizerJson) {
    try (InputStream in = tokenizerJson;
        JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("tokenizer.json is not a JSON object");
      }
      Map<String, Integer> vocab = null;
      String type = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("model")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String modelField = p.currentName();
          JsonToken value = p.nextToken();
          if (modelField.equals("type")) {
            type = p.getText();
          } else if (modelField.equals("vocab") && value == JsonToken.START_OBJECT) {
            vocab = new HashMap<>(65_536);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String piece = p.currentName();
              p.nextToken();
              vocab.put(piece, p.getIntValue());
            }
          } else {
            p.skipChildren();
          }
        }
      }
      if (!"WordPiece".equals(type) || vocab == null) {
        throw new IllegalArgumentException(
            "expected a WordPiece model with a vocabulary, found type " + type);
      }
      return new WordPieceTokenizer(vocab);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer.json", e);
    }
  }

  /**
   * Tokens of {@code text} without the special tokens, each with where its word starts and ends.
   */
  public Tokens tokenize(CharSequence text) {
    Tokens out = new Tokens(Math.max(16, text.length() / 4));
    StringBuilder word = new StringBuilder(32);
    int wordStart = -1;
    int n = text.length();
    for (int i = 0; i < n; ) {
      int cp = Character.codePointAt(text, i);
      int next = i + Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        i = next;
        continue;
      }
      if (isWhitespace(cp)) {
        wordStart = flush(word, wordStart, i, out);
      } else if (isPunctuation(cp) || isCjk(cp)) {
        wordStart = flush(word, wordStart, i, out);
        word.appendCodePoint(cp);
        flush(word, i, next, out);
        if (cp == '.' || cp == '!' || cp == '?' || cp == '\u3002') {
          out.markSentenceEnd();
        }
      } else {
        if (wordStart < 0) {
          wordStart = i;
        }
        word.appendCodePoint(cp);
      }
      i = next;
    }
    flush(word, wordStart, n, out);
    return out;
  }

  private int flush(StringBuilder raw, int start, int end, Tokens out) {
    if (raw.length() == 0) {
      return -1;
    }
    String word = normalize(raw);
    raw.setLength(0);
    if (word.isEmpty()) {
      return -1;
    }
    if (word.length() > MAX_CHARS_PER_WORD) {
      out.add(unk, start, end);
      return -1;
    }
    int mark = out.size();
    int from = 0;
    while (from < word.length()) {
      int to = word.length();
      Integer id = null;
      while (to > from) {
        String piece = from == 0 ? word.substring(0, to) : "##" + word.substring(from, to);
        id = vocab.get(piece);
        if (id != null) {
          break;
        }
        to--;
      }
      if (id == null) {
        // WordPiece: a word with any part outside the vocabulary is one unknown token.
        out.truncate(mark);
        out.add(unk, start, end);
        return -1;
      }
      out.add(id, start, end);
      from = to;
    }
    return -1;
  }

  /** Lower case, then accents stripped (NFD without combining marks), as BertNormalizer does. */
  private static String normalize(CharSequence raw) {
    boolean ascii = true;
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    String lower = raw.toString().toLowerCase(java.util.Locale.ROOT);
    if (ascii) {
      return lower;
    }
    String nfd = Normalizer.normalize(lower, Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder(nfd.length());
    for (int i = 0; i < nfd.length(); ) {
      int cp = nfd.codePointAt(i);
      if (Character.getType(cp) != Character.NON_SPACING_MARK) {
        sb.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  private static boolean isWhitespace(int cp) {
    return cp == ' '
        || cp == '\t'
        || cp == '\n'
        || cp == '\r'
        || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED;
  }

  private static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
      Character.DASH_PUNCTUATION,
      Character.START_PUNCTUATION,
      Character.END_PUNCTUATION,
      Character.INITIAL_QUOTE_PUNCTUATION,
      Character.FINAL_QUOTE_PUNCTUATION,
      Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }

  private static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /** Token ids with the character span of the word each came from, and where sentences end. */
  public static final class Tokens {
    private int[] ids;
    private int[] starts;
    private int[] ends;
    private boolean[] sentenceEnd;
    private int size;

    Tokens(int capacity) {
      ids = new int[capacity];
      starts = new int[capacity];
      ends = new int[capacity];
      sentenceEnd = new boolean[capacity];
    }

    void add(int id, int start, int end) {
      if (size == ids.length) {
        int cap = size * 2;
        ids = java.util.Arrays.copyOf(ids, cap);
        starts = java.util.Arrays.copyOf(starts, cap);
        ends = java.util.Arrays.copyOf(ends, cap);
        sentenceEnd = java.util.Arrays.copyOf(sentenceEnd, cap);
      }
      ids[size] = id;
      starts[size] = start;
      ends[size] = end;
      sentenceEnd[size] = false;
      size++;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    void markSentenceEnd() {
      if (size > 0) {
        sentenceEnd[size - 1] = true;
      }
    }

    public int size() {
      return size;
    }

    public int id(int i) {
      return ids[i];
    }

    public int start(int i) {
      return starts[i];
    }

    public int end(int i) {
      return ends[i];
    }

    public boolean endsSentence(int i) {
      return sentenceEnd[i];
    }

    public int[] ids() {
      return java.util.Arrays.copyOf(ids, size);
    }
  }
}
