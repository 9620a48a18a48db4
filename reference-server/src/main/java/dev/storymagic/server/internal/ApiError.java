package dev.storymagic.server.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * An error answer: the HTTP status, a stable code, a message meant for the client, structured
 * details and, for retryable errors, when to retry. Rendered as {@code
 * {"error":{"code","message","details"}}}.
 */
public record ApiError(
    int status, String code, String message, Object details, Optional<Duration> retryAfter) {
  public ApiError {
    requireNonNull(code, "code");
    requireNonNull(message, "message");
    requireNonNull(retryAfter, "retryAfter");
  }

  public static ApiError of(int status, String code, String message) {
    return new ApiError(status, code, message, null, Optional.empty());
  }

  public ApiError withDetails(Object details) {
    return new ApiError(status, code, message, details, retryAfter);
  }

  public ApiError withRetryAfter(Duration retryAfter) {
    return new ApiError(status, code, message, details, Optional.of(retryAfter));
  }

  /** The Retry-After header value: whole seconds, rounded up, at least 1. */
  public Optional<String> retryAfterSeconds() {
    return retryAfter.map(d -> Long.toString(Math.max(1, (d.toMillis() + 999) / 1000)));
  }
}
