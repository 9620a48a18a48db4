package dev.storymagic.server.internal;

import java.util.Optional;

/** Turns an {@code Authorization} header into the caller, or refuses with a 401 (or 503). */
public interface Authenticator {
  /** The uid of the local development identity. */
  String DEVELOPMENT_UID = "local-developer";

  /**
   * The caller behind a request's {@code Authorization} header.
   *
   * @param authorization the header value, if any
   * @throws ApiException 401 when the token is missing or invalid, 503 when keys cannot be had
   */
  Principal authenticate(Optional<String> authorization);

  /** The fixed local identity used in development when no Firebase project is configured. */
  static Authenticator development(String uid) {
    Principal principal = new Principal(uid, true);
    return authorization -> principal;
  }

  static ApiException unauthorized(String message) {
    return new ApiException(ApiError.of(401, "unauthorized", message));
  }
}
