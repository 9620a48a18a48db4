package dev.storymagic.server.internal;

/** Thrown by handlers to answer with an {@link ApiError}. */
public final class ApiException extends RuntimeException {
  private final transient ApiError error;

  public ApiException(ApiError error) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(ApiError.of(400, code, message));
  }

  public ApiError error() {
    return error;
  }
}
