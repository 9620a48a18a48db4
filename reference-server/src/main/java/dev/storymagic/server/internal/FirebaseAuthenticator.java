package dev.storymagic.server.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Firebase ID tokens as Firebase documents it, with nimbus-jose-jwt's {@link
 * DefaultJWTProcessor}: RS256 only ({@link JWSVerificationKeySelector}), signed by one of Google's
 * securetoken keys (by {@code kid}, from {@link GoogleKeySet}, which refetches on an unknown id),
 * and through {@link DefaultJWTClaimsVerifier} {@code aud} the project id, {@code iss} {@code
 * https://securetoken.google.com/<project id>}, {@code exp} in the future, with a small clock skew.
 * Firebase's own rules are checked on the verified claims: a single audience, {@code iat} and
 * {@code auth_time} not in the future, and a non-empty, printable {@code sub} of at most 128
 * characters equal to {@code user_id}, which becomes the caller's uid.
 */
public final class FirebaseAuthenticator implements Authenticator {
  /** Tolerated difference between our clock and Google's. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private static final int MAX_TOKEN_LENGTH = 8 * 1024;

  private final String projectId;
  private final Clock clock;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public FirebaseAuthenticator(String projectId, GoogleKeySet keys, Clock clock) {
    this.projectId = projectId;
    this.clock = clock;
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new GoogleKeySource(keys)));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            projectId,
            new JWTClaimsSet.Builder()
                .issuer("https://securetoken.google.com/" + projectId)
                .build(),
            Set.of("sub", "exp", "iat", "auth_time")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  @Override
  public Principal authenticate(Optional<String> authorization) {
    SignedJWT jwt = parse(bearerToken(authorization));
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (GoogleKeySet.KeysUnavailableException e) {
      // No keys at all, or the one fetch everyone shares did not finish within its short wait.
      throw new ApiException(
          ApiError.of(
                  503, "auth_unavailable", "sign-in cannot be checked right now; try again later")
              .withRetryAfter(Duration.ofSeconds(5)));
    } catch (BadJWSException e) {
      throw Authenticator.unauthorized("the token's signature is invalid");
    } catch (BadJWTException e) {
      throw Authenticator.unauthorized(claimsProblem(e));
    } catch (BadJOSEException e) {
      throw Authenticator.unauthorized("the token's signing key is unknown");
    } catch (JOSEException | RuntimeException e) {
      throw Authenticator.unauthorized("the token's signature could not be verified");
    }
    return new Principal(firebaseUid(claims), false);
  }

  private static String bearerToken(Optional<String> authorization) {
    String header =
        authorization.orElseThrow(
            () ->
                Authenticator.unauthorized(
                    "an Authorization: Bearer <Firebase ID token> header is required"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Authenticator.unauthorized("the Authorization header must use the Bearer scheme");
    }
    String token = header.substring(7).trim();
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw Authenticator.unauthorized("the bearer token is empty or too long");
    }
    return token;
  }

  /**
   * Parsed here, before the processor, so that the usual mistakes get a message that names them.
   */
  private static SignedJWT parse(String token) {
    SignedJWT jwt;
    JWSHeader jws;
    try {
      jwt = SignedJWT.parse(token);
      jws = jwt.getHeader();
    } catch (ParseException | RuntimeException e) {
      // RuntimeException too: a header segment of JSON null (not an object) fails inside the
      // parser.
      throw Authenticator.unauthorized("the bearer token is not a signed JWT");
    }
    if (jws == null) {
      throw Authenticator.unauthorized("the bearer token is not a signed JWT");
    }
    if (!JWSAlgorithm.RS256.equals(jws.getAlgorithm())) {
      throw Authenticator.unauthorized(
          "the token must be signed with RS256, not " + jws.getAlgorithm());
    }
    if (jws.getKeyID() == null || jws.getKeyID().isBlank()) {
      throw Authenticator.unauthorized("the token names no signing key (kid)");
    }
    return jwt;
  }

  private static String claimsProblem(BadJWTException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("audience")) {
      return "the token was issued for another audience";
    } else if (message.contains("iss")) {
      return "the token was issued by another issuer";
    } else if (message.contains("Expired")) {
      return "the token has expired";
    }
    return "the token's claims are missing or invalid";
  }

  /** The rules Firebase adds to the standard ones, on claims whose signature is verified. */
  private String firebaseUid(JWTClaimsSet claims) {
    List<String> audience = claims.getAudience();
    if (audience.size() != 1 || !projectId.equals(audience.get(0))) {
      throw Authenticator.unauthorized("the token was issued for another audience");
    }
    Instant latest = clock.instant().plus(CLOCK_SKEW);
    Date iat = claims.getIssueTime();
    if (iat == null || iat.toInstant().isAfter(latest)) {
      throw Authenticator.unauthorized("the token's issue time is missing or in the future");
    }
    Instant authTime = authTime(claims);
    if (authTime == null || authTime.isAfter(latest)) {
      throw Authenticator.unauthorized("the token's auth_time is missing or in the future");
    }
    String sub;
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
    Object userId = claims.getClaim("user_id");
    if (userId != null && !sub.equals(userId)) {
      // Firebase sets user_id to the uid; a token where they differ was not minted by Firebase
      // Auth.
      throw Authenticator.unauthorized("the token's subject and user_id differ");
    }
    return sub;
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

  /**
   * Google's certificates as a JWK source: the key the token's {@code kid} names, looked up (and
   * refetched on an unknown id, at most once per interval) by {@link GoogleKeySet}.
   */
  private record GoogleKeySource(GoogleKeySet keys) implements JWKSource<SecurityContext> {
    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
      List<JWK> candidates = new ArrayList<>();
      for (String kid : selector.getMatcher().getKeyIDs()) {
        Optional<RSAPublicKey> key = keys.key(kid);
        key.ifPresent(
            k ->
                candidates.add(
                    new RSAKey.Builder(k)
                        .keyID(kid)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .build()));
      }
      return selector.select(new JWKSet(candidates));
    }
  }
}
