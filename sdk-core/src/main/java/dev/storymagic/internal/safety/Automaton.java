package dev.storymagic.internal.safety;

import java.util.Arrays;
import java.util.List;

/**
 * An Aho–Corasick automaton over folded text: one pass over the text finds every pattern, whole
 * words only. The alphabet is the 26 letters, the space and the apostrophe; any other character (a
 * sentence end, a digit, a letter of another script) returns the automaton to its root, so no
 * pattern spans it. The root's transitions are a dense row; every other state keeps its few
 * children in a compact edge list and falls back along failure links, so tens of thousands of
 * phrases take a few megabytes.
 *
 * <p>Immutable and thread-safe once built. Not API.
 */
final class Automaton {
  static final int ALPHABET = 28;

  private final int[] root;
  private final int[] childStart;
  private final byte[] edgeLabel;
  private final int[] edgeTarget;
  private final int[] fail;
  private final int[][] outputs;
  private final int[] patternLength;

  private Automaton(
      int[] root,
      int[] childStart,
      byte[] edgeLabel,
      int[] edgeTarget,
      int[] fail,
      int[][] outputs,
      int[] patternLength) {
    this.root = root;
    this.childStart = childStart;
    this.edgeLabel = edgeLabel;
    this.edgeTarget = edgeTarget;
    this.fail = fail;
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
    // The trie as linked child lists while it grows.
    int capacity = 1024;
    int[] firstChild = new int[capacity];
    int[] nextSibling = new int[capacity];
    byte[] label = new byte[capacity];
    int[][] own = new int[capacity][];
    Arrays.fill(firstChild, -1);
    int states = 1;
    int[] lengths = new int[patterns.size()];
    for (int id = 0; id < patterns.size(); id++) {
      String p = patterns.get(id);
      lengths[id] = p.length();
      int s = 0;
      for (int k = 0; k < p.length(); k++) {
        int c = index(p.charAt(k));
        if (c < 0) {
          throw new IllegalArgumentException(
              "pattern has a character outside a-z, space and apostrophe: '" + p + "'");
        }
        int t = firstChild[s];
        while (t >= 0 && label[t] != c) {
          t = nextSibling[t];
        }
        if (t < 0) {
          if (states == capacity) {
            capacity *= 2;
            firstChild = Arrays.copyOf(firstChild, capacity);
            Arrays.fill(firstChild, states, capacity, -1);
            nextSibling = Arrays.copyOf(nextSibling, capacity);
            label = Arrays.copyOf(label, capacity);
            own = Arrays.copyOf(own, capacity);
          }
          t = states++;
          label[t] = (byte) c;
          nextSibling[t] = firstChild[s];
          firstChild[s] = t;
        }
        s = t;
      }
      own[s] = append(own[s], id);
    }
    // Compact edge lists: the children of state s are edges childStart[s] .. childStart[s + 1].
    int[] childStart = new int[states + 1];
    byte[] edgeLabel = new byte[Math.max(0, states - 1)];
    int[] edgeTarget = new int[Math.max(0, states - 1)];
    int e = 0;
    for (int s = 0; s < states; s++) {
      childStart[s] = e;
      for (int t = firstChild[s]; t >= 0; t = nextSibling[t]) {
        edgeLabel[e] = label[t];
        edgeTarget[e] = t;
        e++;
      }
    }
    childStart[states] = e;
    int[] root = new int[ALPHABET];
    for (int k = childStart[0]; k < childStart[1]; k++) {
      root[edgeLabel[k]] = edgeTarget[k];
    }
    int[] fail = new int[states];
    int[][] outputs = new int[states][];
    outputs[0] = own[0];
    int[] queue = new int[states];
    int head = 0;
    int tail = 0;
    for (int k = childStart[0]; k < childStart[1]; k++) {
      queue[tail++] = edgeTarget[k];
    }
    Automaton partial =
        new Automaton(root, childStart, edgeLabel, edgeTarget, fail, outputs, lengths);
    while (head < tail) {
      int s = queue[head++];
      outputs[s] = merge(own[s], outputs[fail[s]]);
      for (int k = childStart[s]; k < childStart[s + 1]; k++) {
        int t = edgeTarget[k];
        fail[t] = partial.next(fail[s], edgeLabel[k]);
        queue[tail++] = t;
      }
    }
    return partial;
  }

  /** The state after reading symbol {@code c} in state {@code s}, following failure links. */
  private int next(int s, int c) {
    while (s != 0) {
      for (int k = childStart[s], end = childStart[s + 1]; k < end; k++) {
        if (edgeLabel[k] == c) {
          return edgeTarget[k];
        }
      }
      s = fail[s];
    }
    return root[c];
  }

  int states() {
    return fail.length;
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
      s = next(s, c);
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
