package dev.storymagic;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one exception family StoryMagic throws from its API. Each subtype carries what a caller needs
 * to act on it; {@link #code()} is a stable, machine-readable name for logs and error bodies.
 *
 * <p>The subtypes are nested here, so the whole family reads on one page and a {@code switch} over
 * it is checked for completeness: {@link InvalidRequest}, {@link UnsafeInput}, {@link
 * UnsafeOutput}, {@link RateLimited}, {@link TimedOut}, {@link ModelUnavailable}, {@link
 * ModelFailure}, {@link Cancelled} and {@link StorageFailure}.
 */
public abstract sealed class StoryMagicException extends RuntimeException {

  protected StoryMagicException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A stable snake-case code such as {@code "invalid_request"}. */
  public abstract String code();

  /** The request has bad fields; {@link #errors()} lists every one of them. */
  public static final class InvalidRequest extends StoryMagicException {
    private final List<FieldError> errors;

    public InvalidRequest(List<FieldError> errors) {
      super(
          "invalid story request: "
              + errors.stream()
                  .map(e -> e.field() + ": " + e.message())
                  .collect(Collectors.joining("; ")),
          null);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid request needs at least one error");
      }
      this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
      return errors;
    }

    @Override
    public String code() {
      return "invalid_request";
    }
  }

  /** The user's own text failed the input safety check; nothing was generated. */
  public static final class UnsafeInput extends StoryMagicException {
    private final SafetyVerdict verdict;

    public UnsafeInput(SafetyVerdict verdict) {
      super(
          "the request was rejected by the safety filter: " + labels(verdict.violationTypes()),
          null);
      this.verdict = verdict;
    }

    /** The blocking categories. */
    public Set<SafetyCategory> violationTypes() {
      return verdict.violationTypes();
    }

    public SafetyVerdict verdict() {
      return verdict;
    }

    @Override
    public String code() {
      return "unsafe_input";
    }

    static String labels(Set<SafetyCategory> categories) {
      return String.join(", ", categories.stream().map(SafetyCategory::label).toList());
    }
  }

  /**
   * Every story the model wrote for this request failed the output safety check, within the
   * policy's attempt budget. No unsafe text was returned or stored.
   */
  public static final class UnsafeOutput extends StoryMagicException {
    private final SafetyVerdict lastVerdict;
    private final int attempts;

    public UnsafeOutput(SafetyVerdict lastVerdict, int attempts) {
      super(
          "no safe story after "
              + attempts
              + " attempt(s); last violations: "
              + StoryMagicException.UnsafeInput.labels(lastVerdict.violationTypes()),
          null);
      this.lastVerdict = lastVerdict;
      this.attempts = attempts;
    }

    public Set<SafetyCategory> violationTypes() {
      return lastVerdict.violationTypes();
    }

    public SafetyVerdict lastVerdict() {
      return lastVerdict;
    }

    public int attempts() {
      return attempts;
    }

    @Override
    public String code() {
      return "unsafe_output";
    }
  }

  /** The caller made too many requests; try again after {@link #retryAfter()}. */
  public static final class RateLimited extends StoryMagicException {
    private final Duration retryAfter;

    public RateLimited(String message, Duration retryAfter) {
      super(message, null);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }

    @Override
    public String code() {
      return "rate_limited";
    }
  }

  /** The model did not finish within the time limit. */
  public static final class TimedOut extends StoryMagicException {
    private final Duration limit;

    public TimedOut(String message, Duration limit, Throwable cause) {
      super(message, cause);
      this.limit = limit;
    }

    /** The limit that was exceeded. */
    public Duration limit() {
      return limit;
    }

    @Override
    public String code() {
      return "generation_timeout";
    }
  }

  /**
   * The model cannot serve now: a transient provider error (HTTP 408, 409, 429, 5xx, a reset
   * connection), an open circuit breaker, a full bulkhead, or retries exhausted. Worth retrying
   * later; {@link #retryAfter()} says when if anyone knows.
   *
   * <p>Model implementations throw it for transient failures, with the provider's retry-after hint;
   * the pipeline retries those with backoff before it reaches the caller.
   */
  public static final class ModelUnavailable extends StoryMagicException {
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

    private final ModelUnavailable.Reason reason;
    private final Duration retryAfter;

    public ModelUnavailable(
        ModelUnavailable.Reason reason, String message, Duration retryAfter, Throwable cause) {
      super(message, cause);
      this.reason = reason;
      this.retryAfter = retryAfter;
    }

    public ModelUnavailable(ModelUnavailable.Reason reason, String message) {
      this(reason, message, null, null);
    }

    public ModelUnavailable.Reason reason() {
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

  /**
   * The model call failed in a way that retrying the same call will not fix: bad credentials, a
   * request the provider refuses, an unknown model, a provider content filter, an answer that
   * cannot be understood, or — after the pipeline's own regenerations — no usable story at all.
   * Never retried by the pipeline's HTTP-level retry.
   *
   * <p>{@link #reason()} says which, like {@link StoryMagicException.ModelUnavailable#reason()}
   * does for transient failures.
   */
  public static final class ModelFailure extends StoryMagicException {
    /** Why the call failed for good. */
    public enum Reason {
      /**
       * 401, or a 429 for an exhausted quota: the API key or organisation is wrong. A configuration
       * error.
       */
      AUTHENTICATION,
      /**
       * 403: the credentials are valid but not allowed to do this, such as a model the project has
       * no access to or a country the provider does not serve. The provider's message says which.
       */
      PERMISSION_DENIED,
      /** 400: the provider rejected the request. */
      BAD_REQUEST,
      /** 404: the model does not exist or is not available to this key. */
      UNKNOWN_MODEL,
      /**
       * The provider refused on content: its content filter stopped the output, or the model
       * declined.
       */
      CONTENT_FILTERED,
      /** The output was cut off at the token limit. */
      TRUNCATED,
      /** The response was empty, malformed or incomplete. */
      INVALID_RESPONSE,
      /**
       * Every attempt the pipeline made produced a story that failed a hard quality check (no
       * title, far too short, markup in the text, the wrong language); the message lists the
       * problems.
       */
      UNUSABLE_STORY
    }

    private final ModelFailure.Reason reason;
    private final int httpStatus;

    public ModelFailure(
        ModelFailure.Reason reason, String message, int httpStatus, Throwable cause) {
      super(message, cause);
      this.reason = reason;
      this.httpStatus = httpStatus;
    }

    public ModelFailure(ModelFailure.Reason reason, String message) {
      this(reason, message, 0, null);
    }

    public ModelFailure.Reason reason() {
      return reason;
    }

    /** The provider's HTTP status, if the failure came with one. */
    public OptionalInt httpStatus() {
      return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
    }

    @Override
    public String code() {
      return "model_failure";
    }
  }

  /** The caller cancelled the generation (for example, a streaming client went away). */
  public static final class Cancelled extends StoryMagicException {
    public Cancelled(String message) {
      super(message, null);
    }

    @Override
    public String code() {
      return "cancelled";
    }
  }

  /** The story store failed (unreachable, timed out, or refused the operation). */
  public static final class StorageFailure extends StoryMagicException {
    public StorageFailure(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public String code() {
      return "storage_failure";
    }
  }
}
