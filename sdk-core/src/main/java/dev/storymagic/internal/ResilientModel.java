package dev.storymagic.internal;

import dev.storymagic.GenerationCancelledException;
import dev.storymagic.GenerationTimeoutException;
import dev.storymagic.ModelFailureException;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.ModelUnavailableException;
import dev.storymagic.ResilienceSettings;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.TokenUsage;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The model behind resilience4j: retry (outermost, exponential backoff with jitter, honouring the
 * retry-after hint of a {@link ModelUnavailableException}), then the circuit breaker, the bulkhead
 * and the time limit of one attempt. Every attempt is measured with the GenAI metrics.
 */
public final class ResilientModel implements AutoCloseable {
  private final StoryModel model;
  private final ResilienceSettings settings;
  private final PipelineMetrics metrics;
  private final PipelineSpans spans;
  private final CircuitBreaker circuitBreaker;
  private final Bulkhead bulkhead;
  private final TimeLimiter timeLimiter;
  private final Retry retry;
  private final BoundedExecutor calls;
  private final Sleeper sleeper;

  public ResilientModel(StoryModel model, ResilienceSettings settings, PipelineMetrics metrics, PipelineSpans spans) {
    this(model, settings, metrics, spans, Sleeper.SYSTEM);
  }

  /** A resilient model that waits between retries with {@code sleeper}. */
  public ResilientModel(StoryModel model, ResilienceSettings settings, PipelineMetrics metrics, PipelineSpans spans,
      Sleeper sleeper) {
    this.sleeper = sleeper;
    this.model = model;
    this.settings = settings;
    this.metrics = metrics;
    this.spans = spans;
    String name = model.id();
    this.circuitBreaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
        .failureRateThreshold(settings.failureRateThreshold())
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.slidingWindowCalls())
        .minimumNumberOfCalls(settings.minimumCalls())
        .waitDurationInOpenState(settings.openStateWait())
        .permittedNumberOfCallsInHalfOpenState(1)
        // Only provider trouble opens the circuit; a bad request or a cancelled stream says nothing about its health.
        .recordExceptions(ModelUnavailableException.class, GenerationTimeoutException.class)
        .build());
    this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
        .maxConcurrentCalls(settings.maxConcurrentCalls())
        .maxWaitDuration(settings.maxBulkheadWait())
        .build());
    this.timeLimiter = TimeLimiter.of(name, TimeLimiterConfig.custom()
        .timeoutDuration(settings.attemptTimeout())
        .cancelRunningFuture(true)
        .build());
    this.retry = Retry.of(name, RetryConfig.<Object>custom()
        .maxAttempts(settings.maxAttempts())
        .retryOnException(ResilientModel::retryable)
        .intervalBiFunction(this::waitBeforeRetry)
        .failAfterMaxAttempts(false)
        .build());
    // One slot more than the bulkhead: attempts abandoned by the time limiter may take a moment to unwind.
    this.calls = new BoundedExecutor("storymagic-model", settings.maxConcurrentCalls() * 2);
  }

  public StoryModel model() {
    return model;
  }

  public CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  /**
   * Generates through the resilience stack.
   *
   * @param calls counts every call made to the model, retries included
   */
  public ModelResponse generate(ModelRequest request, AtomicInteger calls) {
    return run(() -> spans.modelAttempt(model.id(), request, calls.incrementAndGet(),
        () -> attempt(() -> model.generate(request))));
  }

  /**
   * Streams through the model; an attempt is retried only while nothing has reached {@code
   * listener}, since text already shown cannot be taken back.
   */
  public ModelResponse stream(ModelRequest request, ModelStreamListener listener,
      java.util.function.BooleanSupplier consumerSawText, AtomicInteger calls) {
    return run(() -> {
      int call = calls.incrementAndGet();
      try {
        return spans.modelAttempt(model.id(), request, call, () -> attempt(() -> model.stream(request, listener)));
      } catch (StoryMagicException e) {
        if (consumerSawText.getAsBoolean()) {
          throw new NoRetry(e);
        }
        throw e;
      }
    });
  }

  private ModelResponse run(Supplier<ModelResponse> attempt) {
    Supplier<ModelResponse> guarded = Retry.decorateSupplier(retry,
        CircuitBreaker.decorateSupplier(circuitBreaker, attempt));
    try {
      return guarded.get();
    } catch (NoRetry e) {
      throw e.cause;
    } catch (CallNotPermittedException e) {
      throw new ModelUnavailableException(ModelUnavailableException.Reason.CIRCUIT_OPEN,
          "circuit breaker '" + model.id() + "' is open after repeated model failures", settings.openStateWait(), e);
    } catch (ModelUnavailableException e) {
      if (settings.maxAttempts() > 1 && e.reason() != ModelUnavailableException.Reason.BULKHEAD_FULL
          && e.reason() != ModelUnavailableException.Reason.CIRCUIT_OPEN) {
        throw new ModelUnavailableException(ModelUnavailableException.Reason.RETRIES_EXHAUSTED,
            "model '" + model.id() + "' failed " + settings.maxAttempts() + " attempts: " + e.getMessage(),
            e.retryAfter().orElse(null), e);
      }
      throw e;
    }
  }

  private ModelResponse attempt(Supplier<ModelResponse> call) {
    try {
      bulkhead.acquirePermission();
    } catch (BulkheadFullException e) {
      throw new ModelUnavailableException(ModelUnavailableException.Reason.BULKHEAD_FULL,
          "bulkhead '" + model.id() + "' is full: " + settings.maxConcurrentCalls() + " model calls in flight",
          Duration.ofSeconds(1), e);
    }
    long start = System.nanoTime();
    try {
      ModelResponse response = timeLimiter.executeFutureSupplier(() -> submit(call));
      metrics.modelCall(model.id(), System.nanoTime() - start, "", response.usage());
      return response;
    } catch (TimeoutException e) {
      metrics.timeout(model.id());
      metrics.modelCall(model.id(), System.nanoTime() - start, "timeout", TokenUsage.NONE);
      throw new GenerationTimeoutException("model '" + model.id() + "' did not answer within "
          + settings.attemptTimeout().toMillis() + " ms", settings.attemptTimeout(), e);
    } catch (ExecutionException e) {
      RuntimeException failure = translate(e.getCause());
      metrics.modelCall(model.id(), System.nanoTime() - start, errorType(failure), TokenUsage.NONE);
      throw failure;
    } catch (CancellationException e) {
      metrics.modelCall(model.id(), System.nanoTime() - start, "cancelled", TokenUsage.NONE);
      throw new GenerationCancelledException("the model call was cancelled");
    } catch (StoryMagicException e) {
      metrics.modelCall(model.id(), System.nanoTime() - start, errorType(e), TokenUsage.NONE);
      throw e;
    } catch (Exception e) {
      RuntimeException failure = translate(e);
      metrics.modelCall(model.id(), System.nanoTime() - start, errorType(failure), TokenUsage.NONE);
      throw failure;
    } finally {
      bulkhead.onComplete();
    }
  }

  private Future<ModelResponse> submit(Supplier<ModelResponse> call) {
    try {
      return calls.submit(call::get);
    } catch (RejectedExecutionException e) {
      throw new ModelUnavailableException(ModelUnavailableException.Reason.BULKHEAD_FULL,
          "no thread free for a model call", Duration.ofSeconds(1), e);
    }
  }

  private RuntimeException translate(Throwable t) {
    if (t instanceof StoryMagicException e) {
      return e;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new GenerationCancelledException("interrupted while waiting for the model");
    }
    // A model implementation broke its contract (threw something undeclared): treat as a bad response.
    return new ModelFailureException(ModelFailureException.Reason.INVALID_RESPONSE,
        "model '" + model.id() + "' failed: " + t, 0, t);
  }

  private static String errorType(RuntimeException e) {
    return e instanceof StoryMagicException s ? s.code() : e.getClass().getSimpleName();
  }

  private static boolean retryable(Throwable t) {
    return t instanceof ModelUnavailableException e
        && e.reason() != ModelUnavailableException.Reason.CIRCUIT_OPEN
        && e.reason() != ModelUnavailableException.Reason.BULKHEAD_FULL;
  }

  /**
   * Waits the backoff on the sleeper and tells resilience4j to wait no longer: its own sleep is a
   * process-wide static that tests cannot replace. An interrupted wait keeps the interrupt, so
   * resilience4j's zero-length sleep that follows ends the retry as it would have.
   */
  private long waitBeforeRetry(Integer attempt, Either<Throwable, Object> outcome) {
    try {
      sleeper.sleep(Duration.ofMillis(backoff(attempt, outcome)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  long backoff(Integer attempt, Either<Throwable, Object> outcome) {
    long max = settings.maxBackoff().toMillis();
    if (outcome.isLeft() && outcome.getLeft() instanceof ModelUnavailableException e && e.retryAfter().isPresent()) {
      return Math.min(max, e.retryAfter().get().toMillis());
    }
    double base = settings.initialBackoff().toMillis() * Math.pow(2, Math.max(0, attempt - 1));
    double jitter = settings.jitter();
    double factor = 1 - jitter + ThreadLocalRandom.current().nextDouble() * 2 * jitter;
    return Math.min(max, Math.round(base * factor));
  }

  /** Waits for running calls (up to the attempt time limit), then closes the model if it is closeable. */
  @Override
  public void close() {
    calls.shutdown(settings.attemptTimeout());
    if (model instanceof AutoCloseable closeable) {
      StoryPipeline.closeQuietly(closeable);
    }
  }

  /** Wraps a failure after text was delivered, so the retry lets it through unchanged. */
  private static final class NoRetry extends RuntimeException {
    final StoryMagicException cause;

    NoRetry(StoryMagicException cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }
}
