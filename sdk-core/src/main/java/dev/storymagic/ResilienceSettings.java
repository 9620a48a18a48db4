package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the pipeline protects itself from a slow or failing model: a time limit per attempt, retries
 * with exponential backoff and jitter (honouring the model's retry-after hint), a circuit breaker
 * and a bulkhead. Immutable; start from {@link #defaults()} or {@link #builder()}.
 */
public final class ResilienceSettings {
  /** Default time limit for one model attempt: 60 seconds. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

  /** Default number of attempts for a transient failure, the first included: 3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** Default wait before the first retry: 500 milliseconds, doubled each retry. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

  /** Default longest wait between two attempts, retry-after hints included: 20 seconds. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);

  /** Default jitter: each backoff is randomised by ±50 %. */
  public static final double DEFAULT_JITTER = 0.5;

  /** Default failure rate, in percent of recent calls, that opens the circuit: 50. */
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;

  /** Default number of recent calls the failure rate is computed over: 20. */
  public static final int DEFAULT_SLIDING_WINDOW_CALLS = 20;

  /** Default calls needed before the failure rate counts: 10. */
  public static final int DEFAULT_MINIMUM_CALLS = 10;

  /** Default time the circuit stays open before trying again: 30 seconds. */
  public static final Duration DEFAULT_OPEN_STATE_WAIT = Duration.ofSeconds(30);

  /** Default cap on concurrent model calls: 256. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 256;

  /** Default wait for a bulkhead slot before failing: 2 seconds. */
  public static final Duration DEFAULT_MAX_BULKHEAD_WAIT = Duration.ofSeconds(2);

  private static final ResilienceSettings DEFAULTS = new Builder().build();

  /**
   * The values, held as a private copy of the builder that made them: the builder declares and
   * checks each setting once, and this copy is never changed or handed out.
   */
  private final Builder values;

  private ResilienceSettings(Builder b) {
    this.values = b.copy();
  }

  public static ResilienceSettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return values.copy();
  }

  public Duration attemptTimeout() {
    return values.attemptTimeout;
  }

  public int maxAttempts() {
    return values.maxAttempts;
  }

  public Duration initialBackoff() {
    return values.initialBackoff;
  }

  public Duration maxBackoff() {
    return values.maxBackoff;
  }

  public double jitter() {
    return values.jitter;
  }

  public float failureRateThreshold() {
    return values.failureRateThreshold;
  }

  public int slidingWindowCalls() {
    return values.slidingWindowCalls;
  }

  public int minimumCalls() {
    return values.minimumCalls;
  }

  public Duration openStateWait() {
    return values.openStateWait;
  }

  public int maxConcurrentCalls() {
    return values.maxConcurrentCalls;
  }

  public Duration maxBulkheadWait() {
    return values.maxBulkheadWait;
  }

  /** Builds {@link ResilienceSettings}. */
  public static final class Builder {
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double jitter = DEFAULT_JITTER;
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowCalls = DEFAULT_SLIDING_WINDOW_CALLS;
    private int minimumCalls = DEFAULT_MINIMUM_CALLS;
    private Duration openStateWait = DEFAULT_OPEN_STATE_WAIT;
    private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    private Duration maxBulkheadWait = DEFAULT_MAX_BULKHEAD_WAIT;

    private Builder() {}

    private Builder copy() {
      Builder c = new Builder();
      c.attemptTimeout = attemptTimeout;
      c.maxAttempts = maxAttempts;
      c.initialBackoff = initialBackoff;
      c.maxBackoff = maxBackoff;
      c.jitter = jitter;
      c.failureRateThreshold = failureRateThreshold;
      c.slidingWindowCalls = slidingWindowCalls;
      c.minimumCalls = minimumCalls;
      c.openStateWait = openStateWait;
      c.maxConcurrentCalls = maxConcurrentCalls;
      c.maxBulkheadWait = maxBulkheadWait;
      return c;
    }

    /** Time limit for one model attempt; must be positive. Default 60 seconds. */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive(timeout, "attemptTimeout");
      return this;
    }

    /** Attempts for a transient failure, the first included; 1 (no retry) to 10. Default 3. */
    public Builder maxAttempts(int attempts) {
      require(attempts >= 1 && attempts <= 10, "maxAttempts must be within 1..10: " + attempts);
      this.maxAttempts = attempts;
      return this;
    }

    /** Wait before the first retry, doubled each retry; zero or more. Default 500 ms. */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = notNegative(backoff, "initialBackoff");
      return this;
    }

    /** Longest wait between attempts, retry-after hints included; zero or more. Default 20 s. */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = notNegative(backoff, "maxBackoff");
      return this;
    }

    /** Randomisation of each backoff, 0 (none) to 1 (±100 %). Default 0.5. */
    public Builder jitter(double jitter) {
      require(jitter >= 0 && jitter <= 1, "jitter must be within 0..1: " + jitter);
      this.jitter = jitter;
      return this;
    }

    /** Failure rate in percent (1..100) that opens the circuit. Default 50. */
    public Builder failureRateThreshold(float percent) {
      require(
          percent > 0 && percent <= 100,
          "failureRateThreshold must be within (0, 100]: " + percent);
      this.failureRateThreshold = percent;
      return this;
    }

    /** Recent calls the failure rate is computed over, and the minimum calls before it counts. */
    public Builder slidingWindow(int calls, int minimumCalls) {
      require(calls >= 1, "sliding window must hold at least one call: " + calls);
      require(
          minimumCalls >= 1 && minimumCalls <= calls,
          "minimumCalls must be within 1.." + calls + ": " + minimumCalls);
      this.slidingWindowCalls = calls;
      this.minimumCalls = minimumCalls;
      return this;
    }

    /**
     * How long the circuit stays open before letting a trial call through; positive. Default 30 s.
     */
    public Builder openStateWait(Duration wait) {
      this.openStateWait = positive(wait, "openStateWait");
      return this;
    }

    /** Maximum concurrent model calls, 1 to 100,000. Default 256. */
    public Builder maxConcurrentCalls(int calls) {
      require(
          calls >= 1 && calls <= 100_000, "maxConcurrentCalls must be within 1..100000: " + calls);
      this.maxConcurrentCalls = calls;
      return this;
    }

    /** How long a call waits for a bulkhead slot; zero fails at once. Default 2 s. */
    public Builder maxBulkheadWait(Duration wait) {
      this.maxBulkheadWait = notNegative(wait, "maxBulkheadWait");
      return this;
    }

    public ResilienceSettings build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalStateException(
            "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
      }
      return new ResilienceSettings(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      require(!d.isNegative() && !d.isZero(), name + " must be positive: " + d);
      return d;
    }

    private static Duration notNegative(Duration d, String name) {
      requireNonNull(d, name);
      require(!d.isNegative(), name + " cannot be negative: " + d);
      return d;
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
