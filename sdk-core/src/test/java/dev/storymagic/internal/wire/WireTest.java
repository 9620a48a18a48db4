package dev.storymagic.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import dev.storymagic.testing.SampleStories;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WireTest {
  @Test
  void everyThreadDrawsItsBuffersFromOneBoundedPoolThatCopiesShare() throws Exception {
    RecyclerPool<BufferRecycler> pool = Wire.mapper().getFactory()._getRecyclerPool();
    assertThat(pool).isInstanceOf(RecyclerPool.BoundedPoolBase.class);
    RecyclerPool.BoundedPoolBase<?> bounded = (RecyclerPool.BoundedPoolBase<?>) pool;
    assertThat(bounded.capacity()).isEqualTo(Wire.POOLED_BUFFER_SETS);
    assertThat(Wire.copy().getFactory()._getRecyclerPool()).isSameAs(pool);

    // A thread that writes one story and ends, as a request's virtual thread does, hands its
    // buffers back for the next thread instead of taking them with it.
    bounded.clear();
    AtomicReference<byte[]> written = new AtomicReference<>();
    for (int i = 0; i < 3; i++) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  written.set(
                      Wire.mapper()
                          .writeValueAsBytes(StoryView.of(SampleStories.story("owner-1"))));
                } catch (JsonProcessingException e) {
                  throw new UncheckedIOException(e);
                }
              });
      writer.start();
      writer.join();
    }
    assertThat(written.get()).isNotEmpty();
    assertThat(bounded.pooledCount()).isEqualTo(1);
  }
}
