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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google's published token-signing certificates ({@code {kid: PEM}}), fetched on first use, cached
 * for as long as the response's {@code Cache-Control: max-age} says, and fetched again early when a
 * token names an unknown key id (at most once per {@code minRefreshInterval}, so a flood of forged
 * key ids cannot turn into a flood of fetches). A failed refresh keeps the previous keys. One fetch
 * at a time, shared by every caller, bounded by {@link #FETCH_TIMEOUT}; callers wait for it at most
 * {@link #SHARED_FETCH_WAIT}, so a hanging endpoint costs sign-ins seconds, not a queue of
 * timeouts.
 */
public final class GoogleKeySet {
  private static final Logger log = LoggerFactory.getLogger(GoogleKeySet.class);
  private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d+)");

  /** Used when the response carries no max-age. */
  static final Duration DEFAULT_TTL = Duration.ofHours(1);

  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

  /** How long a sign-in waits for the shared fetch before answering 503. */
  static final Duration SHARED_FETCH_WAIT = Duration.ofSeconds(3);

  /** After a failed first fetch, sign-ins answer 503 without fetching for this long. */
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(2);

  private final URI url;
  private final HttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Clock clock;
  private final Duration minRefreshInterval;
  private final AtomicReference<CompletableFuture<Snapshot>> inFlight = new AtomicReference<>();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.EPOCH, Instant.EPOCH);

  /** With no keys loaded, sign-ins fail at once until then instead of each starting a fetch. */
  private volatile Instant failedUntil = Instant.EPOCH;

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
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(FETCH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The key with this id, refreshing when the cache expired or the id is unknown. Concurrent
   * callers share one fetch and wait for it at most {@link #SHARED_FETCH_WAIT}; an expired key
   * stays usable while its refresh is slow or failing.
   *
   * @throws KeysUnavailableException if no keys are loaded and the shared fetch failed, failed
   *     recently, or did not finish within the wait
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
    if (current.keys.isEmpty() && now.isBefore(failedUntil)) {
      throw new KeysUnavailableException(
          "the token signing keys could not be fetched from " + url.getHost() + " a moment ago",
          null);
    }
    CompletableFuture<Snapshot> fetch = refresh();
    try {
      return Optional.ofNullable(
          fetch.get(SHARED_FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS).keys.get(kid));
    } catch (TimeoutException | ExecutionException e) {
      // Slow or failed: whatever is loaded (possibly expired) still verifies tokens signed by known
      // keys.
      Snapshot loaded = snapshot;
      if (loaded.keys.isEmpty()) {
        throw new KeysUnavailableException(
            "the token signing keys could not be fetched from " + url.getHost(), e);
      }
      return Optional.ofNullable(loaded.keys.get(kid));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeysUnavailableException("interrupted while fetching the token signing keys", e);
    }
  }

  /** Starts loading the keys in the background, so the first sign-ins need not wait for them. */
  public void prefetch() {
    var unused = refresh(); // a failure is logged, and the next sign-in tries again
  }

  /** The fetch in flight, or a new one: never two at once. */
  // The fetch's callback completes mine, which is what callers wait on.
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<Snapshot> refresh() {
    while (true) {
      CompletableFuture<Snapshot> running = inFlight.get();
      if (running != null) {
        return running;
      }
      CompletableFuture<Snapshot> mine = new CompletableFuture<>();
      if (!inFlight.compareAndSet(null, mine)) {
        continue;
      }
      Snapshot seen = snapshot;
      fetch()
          .whenComplete(
              (fresh, error) -> {
                Instant now = clock.instant();
                if (error == null) {
                  snapshot = fresh;
                  log.info(
                      "loaded {} token signing keys, valid until {}",
                      fresh.keys.size(),
                      fresh.expires);
                } else if (seen.keys.isEmpty()) {
                  failedUntil = now.plus(FAILURE_BACKOFF);
                  log.warn(
                      "fetching the token signing keys failed ({}); sign-ins answer 503 until a fetch succeeds",
                      Errors.describe(error));
                } else {
                  log.warn(
                      "refreshing the token signing keys failed ({}); keeping the {} keys loaded before",
                      Errors.describe(error),
                      seen.keys.size());
                  // Retry no sooner than the minimum interval.
                  snapshot = new Snapshot(seen.keys, now.plus(minRefreshInterval), now);
                }
                inFlight.set(null);
                if (error == null) {
                  mine.complete(fresh);
                } else {
                  mine.completeExceptionally(error);
                }
              });
      return mine;
    }
  }

  private CompletableFuture<Snapshot> fetch() {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(FETCH_TIMEOUT)
            .GET()
            .header("Accept", "application/json")
            .build();
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .thenApply(this::parse);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Snapshot parse(HttpResponse<byte[]> response) {
    try {
      if (response.statusCode() != 200) {
        throw new IOException("the key endpoint answered HTTP " + response.statusCode());
      }
      JsonNode root = mapper.readTree(response.body());
      if (root == null || !root.isObject()) {
        throw new IOException("the key endpoint did not answer a JSON object");
      }
      Map<String, RSAPublicKey> keys = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
          it.hasNext(); ) {
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
      Duration ttl =
          response
              .headers()
              .firstValue("Cache-Control")
              .map(GoogleKeySet::maxAge)
              .orElse(DEFAULT_TTL);
      return new Snapshot(Map.copyOf(keys), now.plus(ttl), now);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Duration maxAge(String cacheControl) {
    Matcher m = MAX_AGE.matcher(cacheControl);
    if (m.find()) {
      try {
        return Duration.ofSeconds(
            Math.min(Long.parseLong(m.group(1)), Duration.ofDays(1).toSeconds()));
      } catch (NumberFormatException e) {
        return DEFAULT_TTL;
      }
    }
    return DEFAULT_TTL;
  }
}
