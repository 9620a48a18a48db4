package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.testing.RecordingStreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link StoryModel} does, plain and streaming: a titled story; streamed chunks that, in
 * order, make up the returned text; a stream that ends exactly once, by returning or by throwing,
 * with nothing delivered after; cancellation by the consumer as a {@link
 * StoryMagicException.Cancelled}; safe concurrent use. Models that call a provider extend {@link
 * RemoteStoryModelContract}, which adds the mapping of provider failures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StoryModelContract {
  /** The model under test, answering with a complete story of two or more sentences. */
  protected abstract StoryModel model();

  /** A request for a story. */
  protected abstract ModelRequest request();

  /** Streams, marking the listener ended however the call finishes. */
  protected static ModelResponse stream(
      StoryModel model, ModelRequest request, RecordingStreamListener listener) {
    try {
      return model.stream(request, listener);
    } finally {
      listener.end();
    }
  }

  @Test
  void idIsStableAndNotBlank() {
    assertThat(model().id()).isNotBlank().isEqualTo(model().id());
  }

  @Test
  void generateWritesATitledStory() {
    ModelResponse response = model().generate(request());
    assertThat(response.title()).isNotBlank();
    assertThat(response.paragraphs()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotNull());
    assertThat(response.text()).isNotBlank();
  }

  @Test
  void streamedChunksInOrderMakeUpTheReturnedTextAndTheTitleComesOnce() {
    RecordingStreamListener listener = RecordingStreamListener.create();
    ModelResponse response = stream(model(), request(), listener);
    assertThat(listener.deltas()).hasSizeGreaterThan(1);
    assertThat(listener.text()).isEqualTo(response.text());
    assertThat(listener.titles()).containsExactly(response.title());
    assertThat(listener.lateCallbacks()).isZero();
  }

  @Test
  void streamingAndGeneratingWriteTheSameStory() {
    ModelResponse generated = model().generate(request());
    ModelResponse streamed = stream(model(), request(), RecordingStreamListener.create());
    assertThat(streamed.title()).isEqualTo(generated.title());
    assertThat(streamed.paragraphs()).isEqualTo(generated.paragraphs());
  }

  @Test
  void consumerCancellingMidStreamStopsItWithACancellation() {
    RecordingStreamListener listener = RecordingStreamListener.cancellingAfter(1);
    assertThatThrownBy(() -> stream(model(), request(), listener))
        .isInstanceOf(StoryMagicException.Cancelled.class);
    assertThat(listener.deltas()).hasSize(1);
    assertThat(listener.lateCallbacks()).isZero();
  }

  @Test
  void consumerGoneBeforeTheFirstChunkGetsNoText() {
    RecordingStreamListener listener = RecordingStreamListener.cancellingAfter(0);
    assertThatThrownBy(() -> stream(model(), request(), listener))
        .isInstanceOf(StoryMagicException.Cancelled.class);
    assertThat(listener.deltas()).isEmpty();
    assertThat(listener.lateCallbacks()).isZero();
  }

  @Test
  void concurrentCallsEachGetAWholeStory() throws Exception {
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ModelResponse>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        boolean streaming = i % 2 == 0;
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return streaming
                      ? stream(model(), request(), RecordingStreamListener.create())
                      : model().generate(request());
                }));
      }
      go.countDown();
      for (Future<ModelResponse> call : calls) {
        ModelResponse response = call.get(30, TimeUnit.SECONDS);
        assertThat(response.title()).isNotBlank();
        assertThat(response.text()).isNotBlank();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
