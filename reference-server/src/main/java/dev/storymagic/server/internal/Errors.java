package dev.storymagic.server.internal;

import dev.storymagic.FieldError;
import dev.storymagic.SafetyCategory;
import dev.storymagic.StoryMagicException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps every {@link StoryMagicException} to one HTTP status and error body.
 *
 * <table>
 *   <tr><th>exception</th><th>status</th><th>code</th></tr>
 *   <tr><td>InvalidStoryRequest</td><td>400</td><td>invalid_request, details: field errors</td></tr>
 *   <tr><td>StoryRejected</td><td>422</td><td>unsafe_input, details: violation types</td></tr>
 *   <tr><td>UnsafeStory</td><td>422</td><td>unsafe_output, details: violation types, attempts</td></tr>
 *   <tr><td>UnsafeStory because the remote filter is absent on the model server</td><td>503</td><td>safety_filter_absent</td></tr>
 *   <tr><td>RateLimited</td><td>429</td><td>rate_limited + Retry-After</td></tr>
 *   <tr><td>ModelUnavailable</td><td>503</td><td>model_unavailable + Retry-After</td></tr>
 *   <tr><td>GenerationTimeout</td><td>504</td><td>generation_timeout</td></tr>
 *   <tr><td>ModelFailure CONTENT_FILTERED</td><td>422</td><td>content_refused</td></tr>
 *   <tr><td>ModelFailure UNUSABLE_STORY</td><td>502</td><td>model_failure, details: reason, problems</td></tr>
 *   <tr><td>ModelFailure (other reasons)</td><td>502</td><td>model_failure, details: reason</td></tr>
 *   <tr><td>Storage</td><td>503</td><td>storage_unavailable + Retry-After</td></tr>
 *   <tr><td>GenerationCancelled</td><td>499</td><td>cancelled (the client is gone; rarely seen)</td></tr>
 * </table>
 *
 * <p>An unsafe output is a 422, not a 502: the request itself steered the model to something that
 * could not be made safe within the attempt budget, retrying it unchanged will not help, and it is
 * no fault of the service that an alarm on 5xx should page anyone for.
 */
public final class Errors {
  /** Retry hint when the model provider gave none. */
  static final Duration DEFAULT_MODEL_RETRY = Duration.ofSeconds(5);

  /** Retry hint for a storage outage. */
  static final Duration STORAGE_RETRY = Duration.ofSeconds(5);

  /**
   * The pipeline's message for an unusable story: "... wrote no usable story in 3 attempts:
   * problem; problem".
   */
  private static final java.util.regex.Pattern UNUSABLE =
      java.util.regex.Pattern.compile("wrote no usable story in \\d+ attempts?: (.+)$");

  private Errors() {}

  public static ApiError map(StoryMagicException e) {
    if (e instanceof StoryMagicException.InvalidRequest invalid) {
      return invalid(invalid.errors());
    } else if (e instanceof StoryMagicException.UnsafeInput rejected) {
      return ApiError.of(
              422,
              "unsafe_input",
              "the request was rejected by the safety filter: "
                  + String.join(", ", labels(rejected.violationTypes())))
          .withDetails(Map.of("violationTypes", labels(rejected.violationTypes())));
    } else if (e instanceof StoryMagicException.UnsafeOutput unsafe && filterAbsent(unsafe)) {
      // Not the request's fault and not a passing outage: the deployment names a filter its model
      // server does not have. Clients can only wait for the operator.
      return ApiError.of(
          503,
          "safety_filter_absent",
          "stories cannot be checked: the remote safety filter is not "
              + "available on this model server; the operator must disable it or configure one that exists");
    } else if (e instanceof StoryMagicException.UnsafeOutput unsafe) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("violationTypes", labels(unsafe.violationTypes()));
      details.put("attempts", unsafe.attempts());
      return ApiError.of(
              422,
              "unsafe_output",
              "no story that passed the safety checks could be written for this"
                  + " request; change the characters, setting or idea")
          .withDetails(details);
    } else if (e instanceof StoryMagicException.RateLimited limited) {
      return ApiError.of(429, "rate_limited", "too many story requests; try again later")
          .withRetryAfter(limited.retryAfter());
    } else if (e instanceof StoryMagicException.ModelUnavailable unavailable) {
      return ApiError.of(
              503,
              "model_unavailable",
              "the story model is unavailable right now ("
                  + unavailable.reason().name().toLowerCase(java.util.Locale.ROOT)
                  + "); try again later")
          .withRetryAfter(unavailable.retryAfter().orElse(DEFAULT_MODEL_RETRY));
    } else if (e instanceof StoryMagicException.TimedOut timeout) {
      return ApiError.of(
          504,
          "generation_timeout",
          "the story model did not answer within " + timeout.limit().toSeconds() + " seconds");
    } else if (e instanceof StoryMagicException.ModelFailure failure
        && failure.reason() == StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED) {
      // The provider refused on content, like our own output check would: the request steered it
      // there.
      return ApiError.of(
          422,
          "content_refused",
          "the story model's provider refused this request on content grounds;"
              + " change the characters, setting or idea");
    } else if (e instanceof StoryMagicException.ModelFailure failure
        && failure.reason() == StoryMagicException.ModelFailure.Reason.UNUSABLE_STORY) {
      // The problems name checks and counts, never the story's text.
      java.util.regex.Matcher m = UNUSABLE.matcher(failure.getMessage());
      String problems = m.find() ? m.group(1) : failure.getMessage();
      return ApiError.of(502, "model_failure", "the story model wrote no usable story: " + problems)
          .withDetails(
              Map.of("reason", "unusable_story", "problems", List.of(problems.split("; "))));
    } else if (e instanceof StoryMagicException.ModelFailure failure) {
      String reason = failure.reason().name().toLowerCase(java.util.Locale.ROOT);
      return ApiError.of(502, "model_failure", "the story model failed (" + reason + ")")
          .withDetails(Map.of("reason", reason));
    } else if (e instanceof StoryMagicException.StorageFailure) {
      return ApiError.of(
              503,
              "storage_unavailable",
              "stories cannot be stored or read right now; try again later")
          .withRetryAfter(STORAGE_RETRY);
    } else if (e instanceof StoryMagicException.Cancelled) {
      return ApiError.of(499, "cancelled", "the generation was cancelled");
    }
    throw new IllegalStateException("unmapped exception " + e.getClass().getName());
  }

  public static ApiError invalid(List<FieldError> errors) {
    List<Map<String, String>> details =
        errors.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList();
    String summary =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid";
    return ApiError.of(400, "invalid_request", summary).withDetails(details);
  }

  public static ApiError internal() {
    return ApiError.of(
        500, "internal_error", "an unexpected error occurred; it was logged with the request id");
  }

  /**
   * The client error behind a failure to read or parse a request, if it is one: a message the HTTP
   * parser rejected (bad chunk sizes, bare-LF framing) keeps the parser's 4xx; a body that stopped
   * arriving before it was complete is 400, or 408 when the read timed out. Empty for anything
   * else, which stays a server fault.
   */
  public static Optional<ApiError> clientFault(Throwable failure) {
    boolean io = false;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.eclipse.jetty.http.HttpException http
          && http.getCode() >= 400
          && http.getCode() < 500) {
        return Optional.of(
            ApiError.of(
                400,
                "malformed_body",
                "the request could not be read: "
                    + (http.getReason() == null ? "malformed HTTP framing" : http.getReason())));
      }
      if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
        return Optional.of(
            ApiError.of(408, "body_timeout", "the request body did not arrive in time"));
      }
      if (t instanceof java.io.IOException) {
        io = true;
      }
    }
    return io
        ? Optional.of(
            ApiError.of(400, "malformed_body", "the request body ended before it was complete"))
        : Optional.empty();
  }

  /** A one-line description of a failure for a log line: types and messages, no stack. */
  public static String describe(Throwable failure) {
    StringBuilder b = new StringBuilder();
    int depth = 0;
    for (Throwable t = failure;
        t != null && depth < 4;
        t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (b.length() > 0) {
        b.append(" <- ");
      }
      String message = t.getMessage();
      b.append(t.getClass().getSimpleName());
      if (message != null) {
        b.append(": ").append(message.length() > 120 ? message.substring(0, 120) : message);
      }
    }
    return b.toString().replace('\n', ' ');
  }

  /** The cause behind completion and execution wrappers. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean filterAbsent(StoryMagicException.UnsafeOutput unsafe) {
    return unsafe.lastVerdict() != null
        && unsafe.lastVerdict().findings().stream()
            .anyMatch(f -> f.blocking() && f.source().endsWith("-absent"));
  }

  private static List<String> labels(Set<SafetyCategory> categories) {
    return categories.stream().map(SafetyCategory::label).toList();
  }
}
