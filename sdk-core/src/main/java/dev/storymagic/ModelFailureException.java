package dev.storymagic;

import java.util.OptionalInt;

/**
 * The model call failed in a way that retrying the same call will not fix: bad credentials, a
 * request the provider refuses, an unknown model, a provider content filter, an answer that cannot
 * be understood, or — after the pipeline's own regenerations — no usable story at all. Never
 * retried by the pipeline's HTTP-level retry.
 *
 * <p>{@link #reason()} says which, like {@link ModelUnavailableException#reason()} does for
 * transient failures.
 */
public final class ModelFailureException extends StoryMagicException {
  /** Why the call failed for good. */
  public enum Reason {
    /**
     * 401, or a 429 for an exhausted quota: the API key or organisation is wrong. A configuration
     * error.
     */
    AUTHENTICATION,
    /**
     * 403: the credentials are valid but not allowed to do this, such as a model the project has no
     * access to or a country the provider does not serve. The provider's message says which.
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
     * Every attempt the pipeline made produced a story that failed a hard quality check (no title,
     * far too short, markup in the text, the wrong language); the message lists the problems.
     */
    UNUSABLE_STORY
  }

  private final Reason reason;
  private final int httpStatus;

  public ModelFailureException(Reason reason, String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.httpStatus = httpStatus;
  }

  public ModelFailureException(Reason reason, String message) {
    this(reason, message, 0, null);
  }

  public Reason reason() {
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
