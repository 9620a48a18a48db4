package dev.storymagic.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.util.X509CertUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google's published token-signing certificates ({@code {kid: PEM}}), fetched on first use, cached
 * for as long as the response's {@code Cache-Control: max-age} says, and fetched again early when a
 * token names an unknown key id (at most once per {@code minRefreshInterval}, so a flood of forged
 * key ids cannot turn into a flood of fetches). A failed refresh keeps the previous keys.
 */
public final class GoogleKeySet {
  private static final Logger log = LoggerFactory.getLogger(GoogleKeySet.class);
  private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d+)");
  /** Used when the response carries no max-age. */
  static final Duration DEFAULT_TTL = Duration.ofHours(1);
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  private final URI url;
  private final HttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Clock clock;
  private final Duration minRefreshInterval;
  private final Object lock = new Object();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.EPOCH, Instant.EPOCH);

  private record Snapshot(Map<String, RSAPublicKey> keys, Instant expires, Instant fetchedAt) {}

  /** Thrown when no keys could ever be loaded. */
  public static final class KeysUnavailableException extends RuntimeException {
    KeysUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public GoogleKeySet(String url, Clock clock, Duration minRefreshInterval) {
    this.url = URI.create(url);
    this.clock = clock;
    this.minRefreshInterval = minRefreshInterval;
    this.http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * The key with this id, refreshing when the cache expired or the id is unknown.
   *
   * @throws KeysUnavailableException if no keys have ever been loaded and fetching fails
   */
  public Optional<RSAPublicKey> key(String kid) {
    Snapshot current = snapshot;
    Instant now = clock.instant();
    if (now.isBefore(current.expires)) {
      RSAPublicKey key = current.keys.get(kid);
      if (key != null) {
        return Optional.of(key);
      }
      if (now.isBefore(current.fetchedAt.plus(minRefreshInterval))) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(refresh(current).keys.get(kid));
  }

  private Snapshot refresh(Snapshot seen) {
    synchronized (lock) {
      if (snapshot != seen) {
        return snapshot; // another thread refreshed meanwhile
      }
      try {
        snapshot = fetch();
        log.info("loaded {} token signing keys, valid until {}", snapshot.keys.size(), snapshot.expires);
      } catch (IOException | RuntimeException e) {
        if (seen.keys.isEmpty()) {
          throw new KeysUnavailableException("the token signing keys could not be fetched from " + url.getHost(), e);
        }
        log.warn("refreshing the token signing keys failed ({}); keeping the {} keys loaded before",
            e.toString(), seen.keys.size());
        // Retry no sooner than the minimum interval.
        snapshot = new Snapshot(seen.keys, clock.instant().plus(minRefreshInterval), clock.instant());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KeysUnavailableException("interrupted while fetching the token signing keys", e);
      }
      return snapshot;
    }
  }

  private Snapshot fetch() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT).GET()
        .header("Accept", "application/json").build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("the key endpoint answered HTTP " + response.statusCode());
    }
    JsonNode root = mapper.readTree(response.body());
    if (root == null || !root.isObject()) {
      throw new IOException("the key endpoint did not answer a JSON object");
    }
    Map<String, RSAPublicKey> keys = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      X509Certificate cert = X509CertUtils.parse(entry.getValue().asText());
      if (cert == null) {
        log.warn("skipping key {}: not a PEM certificate", entry.getKey());
        continue;
      }
      PublicKey key = cert.getPublicKey();
      if (key instanceof RSAPublicKey rsa) {
        keys.put(entry.getKey(), rsa);
      }
    }
    if (keys.isEmpty()) {
      throw new IOException("the key endpoint listed no RSA certificates");
    }
    Instant now = clock.instant();
    Duration ttl = response.headers().firstValue("Cache-Control").map(GoogleKeySet::maxAge).orElse(DEFAULT_TTL);
    return new Snapshot(Map.copyOf(keys), now.plus(ttl), now);
  }

  static Duration maxAge(String cacheControl) {
    Matcher m = MAX_AGE.matcher(cacheControl);
    if (m.find()) {
      try {
        return Duration.ofSeconds(Math.min(Long.parseLong(m.group(1)), Duration.ofDays(1).toSeconds()));
      } catch (NumberFormatException e) {
        return DEFAULT_TTL;
      }
    }
    return DEFAULT_TTL;
  }
}
