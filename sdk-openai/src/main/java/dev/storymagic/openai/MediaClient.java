package dev.storymagic.openai;

import dev.storymagic.openai.internal.MediaCalls;
import java.math.BigDecimal;

/**
 * What both media clients ({@link OpenAiIllustrator}, {@link OpenAiNarrator}) are made of besides
 * their requests: their calls, model and price, and closing. Not API.
 */
abstract class MediaClient implements AutoCloseable {
  final MediaCalls calls;
  final String model;
  final BigDecimal price;

  MediaClient(MediaClientBuilder<?> b, MediaCalls calls) {
    this.calls = calls;
    this.model = b.model;
    this.price = b.price;
  }

  /**
   * @throws IllegalStateException naming the client ({@code what}) once it is closed
   */
  final void checkOpen(String what) {
    if (calls.isClosed()) {
      throw new IllegalStateException("the " + what + " is closed");
    }
  }

  public String model() {
    return model;
  }

  /** Releases the connection pool. Idempotent. */
  @Override
  public void close() {
    calls.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + model + "}";
  }
}
