package dev.storymagic.internal.safety;

import java.util.Arrays;
import java.util.List;

/**
 * An Aho–Corasick automaton over folded text, compiled to a dense transition table: one pass over
 * the text finds every pattern, whole words only. The alphabet is the 26 letters, the space and the
 * apostrophe; any other character (a sentence end, a digit, a letter of another script) returns the
 * automaton to its root, so no pattern spans it.
 *
 * <p>Immutable and thread-safe once built. Not API.
 */
final class Automaton {
  static final int ALPHABET = 28;

  private final int[] delta;
  private final int[][] outputs;
  private final int[] patternLength;

  private Automaton(int[] delta, int[][] outputs, int[] patternLength) {
    this.delta = delta;
    this.outputs = outputs;
    this.patternLength = patternLength;
  }

  static int index(char c) {
    if (c >= 'a' && c <= 'z') {
      return c - 'a';
    }
    if (c == ' ') {
      return 26;
    }
    if (c == '\'') {
      return 27;
    }
    return -1;
  }

  /** Builds the automaton; pattern {@code i} is reported with id {@code i}. */
  static Automaton build(List<String> patterns) {
    int capacity = 1024;
    int[] next = new int[capacity * ALPHABET];
    Arrays.fill(next, -1);
    int[][] own = new int[capacity][];
    int states = 1;
    int[] lengths = new int[patterns.size()];
    for (int id = 0; id < patterns.size(); id++) {
      String p = patterns.get(id);
      lengths[id] = p.length();
      int s = 0;
      for (int k = 0; k < p.length(); k++) {
        int c = index(p.charAt(k));
        if (c < 0) {
          throw new IllegalArgumentException("pattern has a character outside a-z, space and apostrophe: '" + p + "'");
        }
        int t = next[s * ALPHABET + c];
        if (t < 0) {
          if (states == capacity) {
            capacity *= 2;
            int old = next.length;
            next = Arrays.copyOf(next, capacity * ALPHABET);
            Arrays.fill(next, old, next.length, -1);
            own = Arrays.copyOf(own, capacity);
          }
          t = states++;
          next[s * ALPHABET + c] = t;
        }
        s = t;
      }
      own[s] = append(own[s], id);
    }
    int[] delta = new int[states * ALPHABET];
    int[] fail = new int[states];
    int[][] outputs = new int[states][];
    int[] queue = new int[states];
    int head = 0;
    int tail = 0;
    outputs[0] = own[0];
    for (int c = 0; c < ALPHABET; c++) {
      int t = next[c];
      if (t < 0) {
        delta[c] = 0;
      } else {
        delta[c] = t;
        fail[t] = 0;
        queue[tail++] = t;
      }
    }
    while (head < tail) {
      int s = queue[head++];
      outputs[s] = merge(own[s], outputs[fail[s]]);
      for (int c = 0; c < ALPHABET; c++) {
        int t = next[s * ALPHABET + c];
        if (t < 0) {
          delta[s * ALPHABET + c] = delta[fail[s] * ALPHABET + c];
        } else {
          delta[s * ALPHABET + c] = t;
          fail[t] = delta[fail[s] * ALPHABET + c];
          queue[tail++] = t;
        }
      }
    }
    return new Automaton(delta, outputs, lengths);
  }

  int states() {
    return outputs.length;
  }

  /** Finds every whole-word occurrence of every pattern in {@code text}, in order of their end. */
  void scan(NormalizedText text, Matches sink) {
    char[] chars = text.chars;
    int n = text.length;
    int s = 0;
    for (int i = 0; i < n; i++) {
      int c = index(chars[i]);
      if (c < 0) {
        s = 0;
        continue;
      }
      s = delta[s * ALPHABET + c];
      int[] out = outputs[s];
      if (out == null || (i + 1 < n && NormalizedText.isWordChar(chars[i + 1]))) {
        continue;
      }
      for (int id : out) {
        int start = i + 1 - patternLength[id];
        if (start == 0 || !NormalizedText.isWordChar(chars[start - 1])) {
          sink.add(id, start, i + 1);
        }
      }
    }
  }

  private static int[] append(int[] a, int v) {
    if (a == null) {
      return new int[] {v};
    }
    int[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }

  private static int[] merge(int[] a, int[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int[] m = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, m, a.length, b.length);
    return m;
  }

  /** A growable list of (pattern, start, end) triples, reused within one scan. */
  static final class Matches {
    int[] data = new int[48];
    int size;

    void add(int id, int start, int end) {
      if (size * 3 + 3 > data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size * 3] = id;
      data[size * 3 + 1] = start;
      data[size * 3 + 2] = end;
      size++;
    }

    int id(int k) {
      return data[k * 3];
    }

    int start(int k) {
      return data[k * 3 + 1];
    }

    int end(int k) {
      return data[k * 3 + 2];
    }
  }
}
