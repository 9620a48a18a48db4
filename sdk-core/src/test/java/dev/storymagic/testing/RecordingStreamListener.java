package dev.storymagic.testing;

import dev.storymagic.spi.ModelStreamListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what a {@link dev.storymagic.spi.StoryModel} streams: titles and deltas in arrival order,
 * and any callback that arrives after the test {@link #end() ended} the stream. Can cancel after a
 * given number of deltas. Thread-safe.
 */
public final class RecordingStreamListener implements ModelStreamListener {
  private final List<String> titles = new CopyOnWriteArrayList<>();
  private final List<String> deltas = new CopyOnWriteArrayList<>();
  private final AtomicInteger late = new AtomicInteger();
  private final int cancelAfterDeltas;
  private volatile boolean ended;

  private RecordingStreamListener(int cancelAfterDeltas) {
    this.cancelAfterDeltas = cancelAfterDeltas;
  }

  /** A listener that never cancels. */
  public static RecordingStreamListener create() {
    return new RecordingStreamListener(Integer.MAX_VALUE);
  }

  /**
   * A listener that reports itself cancelled once {@code deltas} deltas arrived (0: from the
   * start).
   */
  public static RecordingStreamListener cancellingAfter(int deltas) {
    return new RecordingStreamListener(deltas);
  }

  @Override
  public void onDelta(String text) {
    if (ended) {
      late.incrementAndGet();
    }
    deltas.add(text);
  }

  @Override
  public void onTitle(String title) {
    if (ended) {
      late.incrementAndGet();
    }
    titles.add(title);
  }

  @Override
  public boolean isCancelled() {
    return deltas.size() >= cancelAfterDeltas;
  }

  /** Marks the stream as over (the call returned or threw): later callbacks count as late. */
  public void end() {
    ended = true;
  }

  public List<String> titles() {
    return List.copyOf(titles);
  }

  public List<String> deltas() {
    return List.copyOf(deltas);
  }

  /** The deltas joined in arrival order. */
  public String text() {
    return String.join("", deltas);
  }

  /** Callbacks that arrived after {@link #end()}. */
  public int lateCallbacks() {
    return late.get();
  }
}
