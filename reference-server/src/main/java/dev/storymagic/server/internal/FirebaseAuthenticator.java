package dev.storymagic.server.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Verifies Firebase ID tokens as Firebase documents it: RS256 only, signed by one of Google's
 * securetoken keys (by {@code kid}), {@code aud} the project id, {@code iss}
 * {@code https://securetoken.google.com/<project id>}, {@code exp} in the future, {@code iat} and
 * {@code auth_time} in the past (with a small clock skew), and a non-empty {@code sub} of at most 128
 * characters, which becomes the caller's uid.
 */
public final class FirebaseAuthenticator implements Authenticator {
  /** Tolerated difference between our clock and Google's. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  private static final int MAX_TOKEN_LENGTH = 8 * 1024;

  private final String projectId;
  private final String issuer;
  private final GoogleKeySet keys;
  private final Clock clock;

  public FirebaseAuthenticator(String projectId, GoogleKeySet keys, Clock clock) {
    this.projectId = projectId;
    this.issuer = "https://securetoken.google.com/" + projectId;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public Principal authenticate(Optional<String> authorization) {
    String header = authorization.orElseThrow(() -> Authenticator.unauthorized(
        "an Authorization: Bearer <Firebase ID token> header is required"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Authenticator.unauthorized("the Authorization header must use the Bearer scheme");
    }
    String token = header.substring(7).trim();
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw Authenticator.unauthorized("the bearer token is empty or too long");
    }
    SignedJWT jwt;
    JWSHeader jws;
    try {
      jwt = SignedJWT.parse(token);
      jws = jwt.getHeader();
    } catch (ParseException | RuntimeException e) {
      // RuntimeException too: a header segment of JSON null (not an object) fails inside the parser.
      throw Authenticator.unauthorized("the bearer token is not a signed JWT");
    }
    if (jws == null) {
      throw Authenticator.unauthorized("the bearer token is not a signed JWT");
    }
    if (!JWSAlgorithm.RS256.equals(jws.getAlgorithm())) {
      throw Authenticator.unauthorized("the token must be signed with RS256, not " + jws.getAlgorithm());
    }
    String kid = jws.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw Authenticator.unauthorized("the token names no signing key (kid)");
    }
    RSAPublicKey key;
    try {
      key = keys.key(kid).orElseThrow(() -> Authenticator.unauthorized("the token's signing key is unknown"));
    } catch (GoogleKeySet.KeysUnavailableException e) {
      // No keys at all, or the one fetch everyone shares did not finish within its short wait.
      throw new ApiException(ApiError.of(503, "auth_unavailable",
          "sign-in cannot be checked right now; try again later").withRetryAfter(Duration.ofSeconds(5)));
    }
    try {
      if (!jwt.verify(new RSASSAVerifier(key))) {
        throw Authenticator.unauthorized("the token's signature is invalid");
      }
    } catch (JOSEException | RuntimeException e) {
      throw Authenticator.unauthorized("the token's signature could not be verified");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw Authenticator.unauthorized("the token's claims are malformed");
    }
    Instant now = clock.instant();
    List<String> audience = claims.getAudience();
    if (audience == null || audience.size() != 1 || !projectId.equals(audience.get(0))) {
      throw Authenticator.unauthorized("the token was issued for another audience");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw Authenticator.unauthorized("the token was issued by another issuer");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || !exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
      throw Authenticator.unauthorized("the token has expired");
    }
    Date iat = claims.getIssueTime();
    if (iat == null || iat.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw Authenticator.unauthorized("the token's issue time is missing or in the future");
    }
    Instant authTime = authTime(claims);
    if (authTime == null || authTime.minus(CLOCK_SKEW).isAfter(now)) {
      throw Authenticator.unauthorized("the token's auth_time is missing or in the future");
    }
    String sub;
    Object userId = claims.getClaim("user_id");
    try {
      sub = claims.getSubject();
    } catch (RuntimeException e) {
      throw Authenticator.unauthorized("the token's subject is not a string");
    }
    if (sub == null || sub.isBlank() || sub.length() > 128) {
      throw Authenticator.unauthorized("the token's subject is missing or too long");
    }
    if (!printable(sub)) {
      // A uid becomes a row owner, a log hash and a cache key: no NUL or other control characters.
      throw Authenticator.unauthorized("the token's subject contains control characters");
    }
    if (userId != null && !sub.equals(userId)) {
      // Firebase sets user_id to the uid; a token where they differ was not minted by Firebase Auth.
      throw Authenticator.unauthorized("the token's subject and user_id differ");
    }
    return new Principal(sub, false);
  }

  private static boolean printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        return false;
      }
    }
    return true;
  }

  private static Instant authTime(JWTClaimsSet claims) {
    Object value = claims.getClaim("auth_time");
    if (value instanceof Number n) {
      return Instant.ofEpochSecond(n.longValue());
    } else if (value instanceof Date d) {
      return d.toInstant();
    }
    return null;
  }
}
