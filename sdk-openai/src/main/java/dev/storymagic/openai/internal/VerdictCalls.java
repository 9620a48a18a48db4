package dev.storymagic.openai.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.storymagic.openai.OpenAiConnection;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The calls of one remote safety filter: a JSON POST within the filter's time limit, its answer
 * read up to a size limit, and every failure turned into an exception {@link RemoteVerdicts} maps
 * onto the outage policy: {@link RemoteVerdicts.EndpointMissingException} when the server lacks the
 * endpoint, {@link IllegalStateException} for anything else. Also the filter's share of the
 * connection pool, released once by {@link #close()}.
 */
public final class VerdictCalls implements AutoCloseable {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  private final String what;
  private final ObjectMapper json;
  private final Endpoint endpoint;
  private final TransportLease lease;
  private final OkHttpClient client;
  private final Duration timeout;
  private final long maxBodyBytes;

  /**
   * @param what names the filter in messages, such as {@code "moderation"}
   * @param transport the share of a pool this filter holds, released by {@link #close()}
   * @param timeout the limit of one call, connecting and waiting for a request slot included
   * @param maxBodyBytes the largest answer read; a larger one is a failure
   */
  public VerdictCalls(
      String what,
      ObjectMapper json,
      OpenAiConnection connection,
      HttpTransport transport,
      Duration timeout,
      long maxBodyBytes) {
    this.what = requireNonNull(what, "what");
    this.json = requireNonNull(json, "json");
    this.endpoint = Endpoint.of(connection);
    this.lease = new TransportLease(transport);
    this.timeout = requireNonNull(timeout, "timeout");
    this.maxBodyBytes = maxBodyBytes;
    this.client = transport.newClientBuilder(connection, timeout).build();
  }

  /**
   * POSTs {@code body} to {@code path} and returns the parsed answer ({@link MissingNode} for an
   * empty one).
   *
   * @param absence what a 404, 405 or 501 means on this server, for the message
   * @throws RemoteVerdicts.EndpointMissingException when the server has no such endpoint
   * @throws IllegalStateException when the filter is closed, or the call fails or is refused
   */
  public JsonNode post(String path, JsonNode body, String absence) {
    if (lease.isClosed()) {
      throw new IllegalStateException("the " + what + " filter is closed");
    }
    Request request;
    try {
      request =
          endpoint
              .request(path)
              .post(RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE))
              .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a " + what + " request", e);
    }
    try (HttpTransport.Exchange exchange = lease.transport().send(client, request, timeout)) {
      Response response = exchange.response();
      if (RemoteVerdicts.missing(response.code())) {
        throw new RemoteVerdicts.EndpointMissingException(
            request.url() + " answered HTTP " + response.code() + ": " + absence);
      }
      if (!response.isSuccessful()) {
        throw new IllegalStateException(what + " answered HTTP " + response.code());
      }
      var source = response.body().source();
      if (source.request(maxBodyBytes + 1)) {
        throw new IllegalStateException(what + " answer larger than " + maxBodyBytes + " bytes");
      }
      JsonNode answer = json.readTree(source.inputStream());
      return answer == null ? MissingNode.getInstance() : answer;
    } catch (IOException e) {
      throw new IllegalStateException(
          what + " call failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the " + what + " call", e);
    }
  }

  /** Releases this filter's share of the connection pool. Idempotent. */
  @Override
  public void close() {
    lease.close();
  }

  /** The endpoint, for the filter's {@code toString}. */
  @Override
  public String toString() {
    return endpoint.toString();
  }
}
