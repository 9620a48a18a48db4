package dev.storymagic.internal;

import dev.storymagic.ResilienceSettings;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.StoryModel;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The model behind resilience4j: retry (outermost, exponential backoff with jitter, honouring the
 * retry-after hint of a {@link StoryMagicException.ModelUnavailable}), then the circuit breaker,
 * the bulkhead and the time limit of one attempt. Every attempt is measured with the GenAI metrics.
 *
 * <p>An attempt runs on the calling thread (the pipeline's generation thread, virtual on Java 21
 * and later): there is no hand-off to another pool. Its time limit is a {@link CallerDeadline} that
 * interrupts the caller when it passes; the model gives up on the interrupt (the OpenAI client
 * cancels its HTTP call) and the attempt fails with {@link StoryMagicException.TimedOut}. A model
 * that ignores interrupts is therefore waited for beyond the limit, and its late failure is still
 * reported as a timeout.
 */
public final class ResilientModel implements AutoCloseable {
  private final StoryModel model;
  private final ResilienceSettings settings;
  private final PipelineMetrics metrics;
  private final PipelineSpans spans;
  private final CircuitBreaker circuitBreaker;
  private final Bulkhead bulkhead;
  private final Retry retry;

  /** One daemon thread that fires the attempts' deadlines; cancelled deadlines leave its queue. */
  private final ScheduledThreadPoolExecutor deadlines;

  private final Set<CallerDeadline> inFlight = ConcurrentHashMap.newKeySet();
  private final Sleeper sleeper;

  public ResilientModel(
      StoryModel model, ResilienceSettings settings, PipelineMetrics metrics, PipelineSpans spans) {
    this(model, settings, metrics, spans, Sleeper.SYSTEM);
  }

  /** A resilient model that waits between retries with {@code sleeper}. */
  public ResilientModel(
      StoryModel model,
      ResilienceSettings settings,
      PipelineMetrics metrics,
      PipelineSpans spans,
      Sleeper sleeper) {
    this.sleeper = sleeper;
    this.model = model;
    this.settings = settings;
    this.metrics = metrics;
    this.spans = spans;
    String name = model.id();
    this.circuitBreaker =
        CircuitBreaker.of(
            name,
            CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowCalls())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.openStateWait())
                .permittedNumberOfCallsInHalfOpenState(1)
                // Only provider trouble opens the circuit; a bad request or a cancelled stream says
                // nothing about its health.
                .recordExceptions(
                    StoryMagicException.ModelUnavailable.class, StoryMagicException.TimedOut.class)
                .build());
    this.bulkhead =
        Bulkhead.of(
            name,
            BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(settings.maxBulkheadWait())
                .build());
    this.retry =
        Retry.of(
            name,
            RetryConfig.<Object>custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(ResilientModel::retryable)
                .intervalBiFunction(this::waitBeforeRetry)
                .failAfterMaxAttempts(false)
                .build());
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(null, r, "storymagic-model-deadlines", 256 * 1024);
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true);
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
    return run(
        () ->
            spans.modelAttempt(
                model.id(),
                request,
                calls.incrementAndGet(),
                () -> attempt(() -> model.generate(request))));
  }

  /**
   * Streams through the model; an attempt is retried only while nothing has reached {@code
   * listener}, since text already shown cannot be taken back.
   */
  public ModelResponse stream(
      ModelRequest request,
      ModelStreamListener listener,
      java.util.function.BooleanSupplier consumerSawText,
      AtomicInteger calls) {
    return run(
        () -> {
          int call = calls.incrementAndGet();
          try {
            return spans.modelAttempt(
                model.id(), request, call, () -> attempt(() -> model.stream(request, listener)));
          } catch (StoryMagicException e) {
            if (consumerSawText.getAsBoolean()) {
              throw new NoRetry(e);
            }
            throw e;
          }
        });
  }

  private ModelResponse run(Supplier<ModelResponse> attempt) {
    Supplier<ModelResponse> guarded =
        Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker, attempt));
    try {
      return guarded.get();
    } catch (NoRetry e) {
      throw e.cause;
    } catch (CallNotPermittedException e) {
      throw unavailable(
          StoryMagicException.ModelUnavailable.Reason.CIRCUIT_OPEN,
          "circuit breaker",
          "is open after repeated model failures",
          settings.openStateWait(),
          e);
    } catch (StoryMagicException.ModelUnavailable e) {
      if (settings.maxAttempts() > 1
          && e.reason() != StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL
          && e.reason() != StoryMagicException.ModelUnavailable.Reason.CIRCUIT_OPEN) {
        throw unavailable(
            StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED,
            "model",
            "failed " + settings.maxAttempts() + " attempts: " + e.getMessage(),
            e.retryAfter().orElse(null),
            e);
      }
      throw e;
    }
  }

  /**
   * The model is unavailable for {@code reason}: {@code who} (the model, or one of its guards)
   * named with the model's id, then {@code what} happened.
   */
  private StoryMagicException.ModelUnavailable unavailable(
      StoryMagicException.ModelUnavailable.Reason reason,
      String who,
      String what,
      Duration retryAfter,
      Throwable cause) {
    return new StoryMagicException.ModelUnavailable(
        reason, who + " '" + model.id() + "' " + what, retryAfter, cause);
  }

  private ModelResponse attempt(Supplier<ModelResponse> call) {
    try {
      bulkhead.acquirePermission();
    } catch (BulkheadFullException e) {
      throw unavailable(
          StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL,
          "bulkhead",
          "is full: " + settings.maxConcurrentCalls() + " model calls in flight",
          Duration.ofSeconds(1),
          e);
    }
    long start = System.nanoTime();
    try {
      CallerDeadline deadline = CallerDeadline.start(deadlines, settings.attemptTimeout());
      inFlight.add(deadline);
      ModelResponse response;
      try {
        response = call.get();
      } catch (RuntimeException e) {
        if (finish(deadline)) {
          throw timeout(start, e);
        }
        RuntimeException failure = translate(e);
        metrics.modelCall(
            model.id(), System.nanoTime() - start, errorType(failure), TokenUsage.NONE);
        throw failure;
      } catch (Error e) {
        finish(deadline);
        throw e;
      }
      // A response that arrived as the deadline passed is still a response.
      finish(deadline);
      metrics.modelCall(model.id(), System.nanoTime() - start, "", response.usage());
      return response;
    } finally {
      bulkhead.onComplete();
    }
  }

  /**
   * Ends {@code deadline}; true if it passed. Wakes {@link #close()} when the last attempt ends.
   */
  private boolean finish(CallerDeadline deadline) {
    boolean passed = deadline.finish();
    if (inFlight.remove(deadline) && inFlight.isEmpty()) {
      synchronized (inFlight) {
        inFlight.notifyAll();
      }
    }
    return passed;
  }

  private StoryMagicException.TimedOut timeout(long start, Throwable cause) {
    metrics.timeout(model.id());
    metrics.modelCall(model.id(), System.nanoTime() - start, "timeout", TokenUsage.NONE);
    return new StoryMagicException.TimedOut(
        "model '"
            + model.id()
            + "' did not answer within "
            + settings.attemptTimeout().toMillis()
            + " ms",
        settings.attemptTimeout(),
        cause);
  }

  private RuntimeException translate(RuntimeException e) {
    if (e instanceof StoryMagicException) {
      return e;
    }
    if (Thread.currentThread().isInterrupted()) {
      return new StoryMagicException.Cancelled("interrupted while waiting for the model");
    }
    // A model implementation broke its contract (threw something undeclared): treat as a bad
    // response.
    return new StoryMagicException.ModelFailure(
        StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE,
        "model '" + model.id() + "' failed: " + e,
        0,
        e);
  }

  private static String errorType(RuntimeException e) {
    return e instanceof StoryMagicException s ? s.code() : e.getClass().getSimpleName();
  }

  private static boolean retryable(Throwable t) {
    return t instanceof StoryMagicException.ModelUnavailable e
        && e.reason() != StoryMagicException.ModelUnavailable.Reason.CIRCUIT_OPEN
        && e.reason() != StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL;
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
    if (outcome.isLeft()
        && outcome.getLeft() instanceof StoryMagicException.ModelUnavailable e
        && e.retryAfter().isPresent()) {
      return Math.min(max, e.retryAfter().get().toMillis());
    }
    double base = settings.initialBackoff().toMillis() * Math.pow(2, Math.max(0, attempt - 1));
    double jitter = settings.jitter();
    double factor = 1 - jitter + ThreadLocalRandom.current().nextDouble() * 2 * jitter;
    return Math.min(max, Math.round(base * factor));
  }

  /**
   * Waits for running attempts (up to the attempt time limit), interrupts those still running, then
   * closes the model if it is closeable.
   */
  @Override
  public void close() {
    long end = System.nanoTime() + settings.attemptTimeout().toNanos();
    synchronized (inFlight) {
      long left;
      while (!inFlight.isEmpty() && (left = end - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(inFlight, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    inFlight.forEach(CallerDeadline::run);
    deadlines.shutdownNow();
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
