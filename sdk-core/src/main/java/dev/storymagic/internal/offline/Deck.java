package dev.storymagic.internal.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws items in a shuffled order without repeats until all have been used, then reshuffles, so a
 * story repeats a sentence only once it has used every alternative.
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
    shuffle(null);
  }

  T draw() {
    if (next == items.size()) {
      shuffle(items.get(items.size() - 1));
    }
    return items.get(next++);
  }

  private void shuffle(T avoidFirst) {
    for (int i = items.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = items.get(i);
      items.set(i, items.get(j));
      items.set(j, t);
    }
    if (avoidFirst != null && items.size() > 1 && items.get(0) == avoidFirst) {
      T t = items.get(0);
      items.set(0, items.get(1));
      items.set(1, t);
    }
    next = 0;
  }
}
