package dev.storymagic.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.StoryMagicException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Maps what an OpenAI-compatible server answered (or failed to answer) onto the SDK's exceptions.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>answer</th><th>exception</th><th>retried by the pipeline</th></tr>
 *   <tr><td>401; 429 with code {@code insufficient_quota}</td><td>ModelFailure AUTHENTICATION</td><td>no</td></tr>
 *   <tr><td>403 (region, model access)</td><td>ModelFailure PERMISSION_DENIED, provider message surfaced</td><td>no</td></tr>
 *   <tr><td>5xx whose body says the request could not be parsed or is unsupported</td><td>ModelFailure BAD_REQUEST</td><td>no</td></tr>
 *   <tr><td>400, 413, 422 and other 4xx</td><td>ModelFailure BAD_REQUEST, provider message surfaced</td><td>no</td></tr>
 *   <tr><td>404</td><td>ModelFailure UNKNOWN_MODEL</td><td>no</td></tr>
 *   <tr><td>408, 409, 5xx</td><td>ModelUnavailable UPSTREAM_ERROR with the retry-after hint</td><td>yes</td></tr>
 *   <tr><td>429</td><td>ModelUnavailable UPSTREAM_RATE_LIMITED with the retry-after hint</td><td>yes</td></tr>
 *   <tr><td>connect failure, reset, connection closed without a response</td><td>ModelUnavailable CONNECTION_FAILED</td><td>yes</td></tr>
 *   <tr><td>read or call timeout</td><td>ModelUnavailable UPSTREAM_ERROR</td><td>yes</td></tr>
 * </table>
 *
 * <p>An HTTP timeout is treated as a transient provider failure (retried, like OpenAI's own clients
 * do) rather than as a {@code StoryMagicException.TimedOut}, which the pipeline reserves for its
 * own per-attempt time limit. Provider messages are surfaced with anything shaped like an API key
 * masked.
 *
 * @param json reads error bodies
 * @param clock turns a {@code Retry-After} date into a wait
 * @param who names the endpoint in messages, such as {@code "openai:gpt-4o-mini"}
 */
public record ProviderErrors(ObjectMapper json, Clock clock, String who) {
  private static final Pattern KEY_LIKE =
      Pattern.compile("\\b(sk-[A-Za-z0-9_*\\-]{2})[A-Za-z0-9_*\\-]{4,}");
  private static final int MAX_MESSAGE = 400;
  private static final long MAX_ERROR_BODY_BYTES = 16 * 1024;

  /** The exception for a response whose status is not 2xx. Reads (a bounded part of) the body. */
  public StoryMagicException fromStatus(Response response) {
    int status = response.code();
    ProviderError error = readError(response.body());
    String detail = error.message().map(m -> ": " + m).orElse("");
    Optional<Duration> retryAfter = RetryHints.retryAfter(response.headers(), clock);
    if (status == 401) {
      return new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.AUTHENTICATION,
          who
              + " rejected the credentials (HTTP 401); check the API key, organisation and project"
              + detail,
          status,
          null);
    }
    if (status == 403) {
      // Valid credentials that may not do this: a region the provider does not serve, a model the
      // project cannot use. The provider's message says which; a new key would not help.
      return new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.PERMISSION_DENIED,
          who + " refused the request (HTTP 403)" + detail,
          status,
          null);
    }
    if (status == 429 && error.code().filter("insufficient_quota"::equals).isPresent()) {
      return new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.AUTHENTICATION,
          who + " refused: the account's quota is exhausted (HTTP 429)" + detail,
          status,
          null);
    }
    if (status == 404) {
      return new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.UNKNOWN_MODEL,
          who
              + ": the model or endpoint does not exist or is not available to this key (HTTP 404)"
              + detail,
          status,
          null);
    }
    if (status == 429) {
      return new StoryMagicException.ModelUnavailable(
          StoryMagicException.ModelUnavailable.Reason.UPSTREAM_RATE_LIMITED,
          who + " is rate-limiting us (HTTP 429)" + retryText(retryAfter) + detail,
          retryAfter.orElse(null),
          null);
    }
    if (status >= 500 && error.rejectsRequest()) {
      // Some self-hosted servers answer 500 for a request they cannot parse; repeating it cannot
      // help.
      return new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.BAD_REQUEST,
          who + " could not process the request (HTTP " + status + ")" + detail,
          status,
          null);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return new StoryMagicException.ModelUnavailable(
          StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR,
          who + " failed transiently (HTTP " + status + ")" + retryText(retryAfter) + detail,
          retryAfter.orElse(null),
          null);
    }
    if (status >= 400) {
      return new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.BAD_REQUEST,
          who + " rejected the request (HTTP " + status + ")" + detail,
          status,
          null);
    }
    return new StoryMagicException.ModelFailure(
        StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE,
        who + " answered with unexpected HTTP status " + status,
        status,
        null);
  }

  /**
   * The exception for a transport failure. {@code cancelledByCaller} tells a cancel from a timeout.
   */
  public StoryMagicException fromIo(IOException e, boolean cancelledByCaller) {
    if (cancelledByCaller) {
      return new StoryMagicException.Cancelled("the call to " + who + " was cancelled");
    }
    if (e instanceof SocketTimeoutException) {
      boolean connect =
          String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect");
      return new StoryMagicException.ModelUnavailable(
          connect
              ? StoryMagicException.ModelUnavailable.Reason.CONNECTION_FAILED
              : StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR,
          who
              + (connect
                  ? " could not be reached in time: "
                  : " stopped answering within the read timeout: ")
              + e.getMessage(),
          null,
          e);
    }
    if (e instanceof InterruptedIOException) {
      // OkHttp's whole-call timeout.
      return new StoryMagicException.ModelUnavailable(
          StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR,
          who + " did not finish within the call timeout",
          null,
          e);
    }
    return new StoryMagicException.ModelUnavailable(
        StoryMagicException.ModelUnavailable.Reason.CONNECTION_FAILED,
        "connection to " + who + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        null,
        e);
  }

  /** A response that is 2xx but cannot be used. */
  public StoryMagicException.ModelFailure invalid(String what, Throwable cause) {
    return new StoryMagicException.ModelFailure(
        StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE,
        who + " sent " + what,
        200,
        cause);
  }

  /** Masks anything shaped like an API key and caps the length. */
  public static String sanitise(String message) {
    String masked = KEY_LIKE.matcher(message).replaceAll("$1***");
    String flat = masked.replaceAll("\\s+", " ").strip();
    return flat.length() > MAX_MESSAGE ? flat.substring(0, MAX_MESSAGE) + "..." : flat;
  }

  private static String retryText(Optional<Duration> retryAfter) {
    return retryAfter.map(d -> ", retry after " + d.toMillis() + " ms").orElse("");
  }

  /** Messages of servers that answer 500 for a request they cannot parse or do not support. */
  private static final Pattern REQUEST_REJECTED =
      Pattern.compile(
          "(?i)json\\.exception|parse[_ ]error|invalid json|failed to parse|must be one of|unsupported (param|value|response)");

  private record ProviderError(
      Optional<String> message, Optional<String> code, Optional<String> type) {
    ProviderError(Optional<String> message, Optional<String> code) {
      this(message, code, Optional.empty());
    }

    boolean rejectsRequest() {
      return type.filter("invalid_request_error"::equals).isPresent()
          || message.filter(m -> REQUEST_REJECTED.matcher(m).find()).isPresent();
    }
  }

  /**
   * Reads {@code {"error":{"message","code"}}}, {@code {"error":"..."}} or {@code {"message":...}};
   * else raw text.
   */
  private ProviderError readError(ResponseBody body) {
    String text;
    try {
      BufferedSource source = body.source();
      source.request(MAX_ERROR_BODY_BYTES);
      text =
          source
              .getBuffer()
              .snapshot((int) Math.min(source.getBuffer().size(), MAX_ERROR_BODY_BYTES))
              .utf8();
    } catch (IOException | RuntimeException e) {
      return new ProviderError(Optional.empty(), Optional.empty());
    }
    if (text.isBlank()) {
      return new ProviderError(Optional.empty(), Optional.empty());
    }
    try {
      JsonNode root = json.readTree(text);
      JsonNode error = root.path("error");
      String message =
          error.isTextual()
              ? error.asText()
              : firstText(error.path("message"), root.path("message"), root.path("detail"));
      // Codes may be strings ("insufficient_quota") or numbers (llama.cpp, vLLM: 400, 500).
      String code = firstText(error.path("code"), error.path("type"), root.path("code"));
      String type = firstText(error.path("type"), root.path("type"), root.path("object"));
      return new ProviderError(
          Optional.ofNullable(message).map(ProviderErrors::sanitise),
          Optional.ofNullable(code),
          Optional.ofNullable(type));
    } catch (IOException | RuntimeException notJson) {
      return new ProviderError(Optional.of(sanitise(text)), Optional.empty());
    }
  }

  private static String firstText(JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n.isValueNode() && !n.isNull() && !n.asText().isBlank()) {
        return n.asText();
      }
    }
    return null;
  }
}
