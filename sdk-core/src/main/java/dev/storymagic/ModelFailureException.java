package dev.storymagic;

import java.util.OptionalInt;

/**
 * The model call failed in a way that retrying will not fix: bad credentials, a rejected request,
 * an unknown model, a provider content filter, or a response that cannot be understood. Never
 * retried by the pipeline.
 */
public final class ModelFailureException extends StoryMagicException {
  /** What kind of permanent failure. */
  public enum Kind {
    /** 401/403: the API key or organisation is wrong. A configuration error. */
    AUTHENTICATION,
    /** 400: the provider rejected the request. */
    BAD_REQUEST,
    /** 404: the model does not exist or is not available to this key. */
    UNKNOWN_MODEL,
    /** The provider's own content filter stopped the output. */
    CONTENT_FILTERED,
    /** The output was cut off at the token limit. */
    TRUNCATED,
    /** The response was empty, malformed or incomplete. */
    INVALID_RESPONSE
  }

  private final Kind kind;
  private final int httpStatus;

  public ModelFailureException(Kind kind, String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  public ModelFailureException(Kind kind, String message) {
    this(kind, message, 0, null);
  }

  public Kind kind() {
    return kind;
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
