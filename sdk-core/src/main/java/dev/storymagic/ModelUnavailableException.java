package dev.storymagic;

import java.time.Duration;
import java.util.Optional;

/**
 * The model cannot serve now: a transient provider error (HTTP 408, 409, 429, 5xx, a reset
 * connection), an open circuit breaker, a full bulkhead, or retries exhausted. Worth retrying
 * later; {@link #retryAfter()} says when if anyone knows.
 *
 * <p>Model implementations throw it for transient failures, with the provider's retry-after hint;
 * the pipeline retries those with backoff before it reaches the caller.
 */
public final class ModelUnavailableException extends StoryMagicException {
  /** Why the model is unavailable. */
  public enum Reason {
    /** The provider answered with a transient error. */
    UPSTREAM_ERROR,
    /** The provider rate-limited us. */
    UPSTREAM_RATE_LIMITED,
    /** The connection failed or was reset. */
    CONNECTION_FAILED,
    /** The circuit breaker is open after repeated failures. */
    CIRCUIT_OPEN,
    /** Too many generations are already in flight. */
    BULKHEAD_FULL,
    /** Every retry failed. */
    RETRIES_EXHAUSTED
  }

  private final Reason reason;
  private final Duration retryAfter;

  public ModelUnavailableException(
      Reason reason, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public ModelUnavailableException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public Reason reason() {
    return reason;
  }

  /** When the provider or the breaker suggests trying again, if known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String code() {
    return "model_unavailable";
  }
}
