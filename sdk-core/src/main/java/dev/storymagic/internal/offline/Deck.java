package dev.storymagic.internal.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws items in a shuffled order without repeats: a story uses each sentence pattern at most once.
 * {@link #draw()} returns null once every item has been drawn; {@link #reset()} starts over, for
 * pools of plain values (a snack, a decoy) that may come round again.
 */
final class Deck<T> {
  private final List<T> items;
  private final SplittableRandom random;
  private int next;

  Deck(List<T> items, SplittableRandom random) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a deck needs at least one item");
    }
    this.items = new ArrayList<>(items);
    this.random = random;
    reset();
  }

  /** The next item, or null when all have been drawn. Shuffles lazily: one swap per draw. */
  T draw() {
    int n = items.size();
    if (next == n) {
      return null;
    }
    int j = next + random.nextInt(n - next);
    T t = items.get(j);
    items.set(j, items.get(next));
    items.set(next++, t);
    return t;
  }

  /**
   * Of the last {@code drawn} items drawn, keeps {@code kept} (null for none) as used and puts the
   * others back, so comparing candidates does not use them up.
   */
  void keepOnly(int drawn, T kept) {
    int first = next - drawn;
    if (kept == null) {
      next = first;
      return;
    }
    for (int i = first; i < next; i++) {
      if (items.get(i) == kept) {
        items.set(i, items.get(first));
        items.set(first, kept);
        break;
      }
    }
    next = first + 1;
  }

  /** Puts every item back in. */
  void reset() {
    next = 0;
  }
}
