package dev.storymagic.openai.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.StoryMagicException;
import dev.storymagic.openai.OpenAiConnection;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One POST to an OpenAI-compatible media endpoint (images, speech), with the resilience of the
 * story calls: a whole-call timeout per attempt, bounded retries of what is transient (429, 5xx,
 * timeouts, resets) after the provider's {@code Retry-After} when it gives one (else exponential
 * backoff with jitter), and the provider's answers mapped onto the SDK's exceptions by {@link
 * ProviderErrors}. A refusal on content ({@code moderation_blocked}, {@code
 * content_policy_violation}) is a {@link StoryMagicException.ModelFailure} {@code
 * CONTENT_FILTERED}, never retried. Holds the client's share of the connection pool until {@link
 * #close()}.
 */
public final class MediaCalls implements AutoCloseable {
  /** Waits between attempts; a test passes one that records instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  /**
   * A Retry-After beyond this is not waited for: the call fails and the caller may come back later.
   */
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private static final long MAX_ERROR_PEEK = 16 * 1024;

  private final Endpoint endpoint;
  private final TransportLease lease;
  private final OkHttpClient client;
  private final int maxAttempts;
  private final Duration timeout;
  private final ProviderErrors errors;
  private final Sleeper sleeper;
  private final ObjectMapper json;

  public MediaCalls(
      OpenAiConnection connection,
      HttpTransport transport,
      Duration timeout,
      int maxAttempts,
      String who,
      ObjectMapper json,
      Clock clock,
      Sleeper sleeper) {
    this.endpoint = Endpoint.of(connection);
    this.lease = new TransportLease(transport);
    this.timeout = requireNonNull(timeout, "timeout");
    this.maxAttempts = maxAttempts;
    this.json = requireNonNull(json, "json");
    this.errors = new ProviderErrors(json, clock, who);
    this.sleeper = requireNonNull(sleeper, "sleeper");
    this.client = transport.newClientBuilder(connection, timeout).build();
  }

  /** The real sleeper. */
  public static Sleeper threadSleep() {
    return d -> Thread.sleep(d.toMillis());
  }

  /** What a successful call answered: its content type and bytes. */
  @SuppressWarnings("ArrayRecordComponent") // handed straight to the caller, never compared
  public record Answer(String contentType, byte[] body) {}

  /**
   * POSTs {@code body} as JSON to {@code path} and returns the answer, reading at most {@code
   * maxBytes}.
   *
   * @throws StoryMagicException {@link StoryMagicException.ModelUnavailable} once retries are spent
   *     on a transient failure, {@link StoryMagicException.ModelFailure} for a permanent one
   */
  public Answer post(String path, JsonNode body, long maxBytes) {
    byte[] payload;
    try {
      payload = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a request", e);
    }
    StoryMagicException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        Duration wait = waitBefore(attempt, last);
        if (wait.compareTo(MAX_WAIT) > 0) {
          throw last;
        }
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw last;
        }
      }
      try {
        return once(path, payload, maxBytes);
      } catch (StoryMagicException.ModelUnavailable e) {
        last = e;
      }
    }
    throw last;
  }

  private Answer once(String path, byte[] payload, long maxBytes) {
    Request request = endpoint.request(path).post(RequestBody.create(payload, JSON_TYPE)).build();
    try (HttpTransport.Exchange exchange = lease.transport().send(client, request, timeout)) {
      Response response = exchange.response();
      if (!response.isSuccessful()) {
        refusal(response);
        throw errors.fromStatus(response);
      }
      var source = response.body().source();
      if (source.request(maxBytes + 1)) {
        throw errors.invalid("an answer larger than " + maxBytes + " bytes", null);
      }
      String type = response.header("Content-Type", "");
      return new Answer(type, source.readByteArray());
    } catch (IOException e) {
      throw errors.fromIo(e, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoryMagicException.ModelUnavailable(
          StoryMagicException.ModelUnavailable.Reason.CONNECTION_FAILED,
          "interrupted while calling " + path,
          null,
          e);
    }
  }

  /** Releases the client's share of the connection pool. Idempotent. */
  @Override
  public void close() {
    lease.close();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return lease.isClosed();
  }

  /** A 4xx whose body says the content was refused: a permanent failure of its own kind. */
  private void refusal(Response response) throws IOException {
    if (response.code() < 400 || response.code() >= 500 || response.code() == 429) {
      return;
    }
    String body = response.peekBody(MAX_ERROR_PEEK).string().toLowerCase(Locale.ROOT);
    if (body.contains("moderation_blocked")
        || body.contains("content_policy_violation")
        || body.contains("safety system")) {
      throw new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED,
          "the provider refused the request on content (HTTP " + response.code() + ")",
          response.code(),
          null);
    }
  }

  private static Duration waitBefore(int attempt, StoryMagicException last) {
    if (last instanceof StoryMagicException.ModelUnavailable u && u.retryAfter().isPresent()) {
      return u.retryAfter().get();
    }
    long base = FIRST_BACKOFF.toMillis() << Math.min(6, attempt - 2);
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }
}
