package dev.storymagic.benchmarks;

import dev.storymagic.ComponentHealth;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.StoryModel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the calls that reach a model, to check how many generations the cache and single-flight
 * saved.
 */
final class CountingModel implements StoryModel {
  private final StoryModel delegate;
  private final LongAdder calls = new LongAdder();

  CountingModel(StoryModel delegate) {
    this.delegate = delegate;
  }

  long calls() {
    return calls.sum();
  }

  void reset() {
    calls.reset();
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public ModelResponse generate(ModelRequest request) {
    calls.increment();
    return delegate.generate(request);
  }

  @Override
  public ModelResponse stream(ModelRequest request, ModelStreamListener listener) {
    calls.increment();
    return delegate.stream(request, listener);
  }

  @Override
  public ComponentHealth health() {
    return delegate.health();
  }
}
