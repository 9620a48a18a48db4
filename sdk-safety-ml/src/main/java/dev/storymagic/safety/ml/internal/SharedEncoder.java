package dev.storymagic.safety.ml.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * One loaded model per process (per thread setting): every layered filter that needs it shares the
 * session, which is closed when the last of them is closed. Loading takes a second and 90 MB, so
 * two filters built with different heads or lexicons must not each pay for it.
 */
public final class SharedEncoder {
  private static final Map<Integer, Entry> LOADED = new HashMap<>();

  private static final class Entry {
    final MiniLmEncoder encoder;
    int users;

    Entry(MiniLmEncoder encoder) {
      this.encoder = encoder;
    }
  }

  private SharedEncoder() {}

  /**
   * The encoder for {@code intraOpThreads}, loaded on first use; pair every call with {@link
   * #release}.
   */
  public static synchronized MiniLmEncoder acquire(int intraOpThreads) {
    Entry e = LOADED.get(intraOpThreads);
    if (e == null) {
      e = new Entry(MiniLmEncoder.load(intraOpThreads));
      LOADED.put(intraOpThreads, e);
    }
    e.users++;
    return e.encoder;
  }

  /** Gives back an encoder from {@link #acquire}; the last user closes it. */
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // returns right after the removal
  public static synchronized void release(MiniLmEncoder encoder) {
    for (Map.Entry<Integer, Entry> m : LOADED.entrySet()) {
      Entry e = m.getValue();
      if (e.encoder == encoder) {
        if (--e.users == 0) {
          LOADED.remove(m.getKey());
          e.encoder.close();
        }
        return;
      }
    }
  }
}
