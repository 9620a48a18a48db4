package dev.storymagic.openai.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Reads when a provider wants to be called again from its response headers, in this order: {@code
 * Retry-After-Ms} (milliseconds), {@code Retry-After} (seconds or an HTTP date), and OpenAI's
 * {@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens} (Go-style durations such as
 * {@code 1s}, {@code 6m0s}, {@code 20ms}). Of the two rate-limit resets, the one whose {@code
 * x-ratelimit-remaining-*} counter is exhausted wins; when neither says, the longer one.
 */
public final class RetryHints {
  /** Hints beyond a day are treated as nonsense and ignored. */
  private static final Duration MAX_HINT = Duration.ofDays(1);

  private static final Pattern GO_DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|\u00b5s|ms|s|m|h)");

  private RetryHints() {}

  public static Optional<Duration> retryAfter(Headers headers, Clock clock) {
    Optional<Duration> hint =
        millis(headers.get("retry-after-ms"))
            .or(() -> secondsOrDate(headers.get("retry-after"), clock))
            .or(() -> rateLimitReset(headers));
    return hint.filter(d -> !d.isNegative() && d.compareTo(MAX_HINT) <= 0);
  }

  private static Optional<Duration> millis(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      double ms = Double.parseDouble(value.trim());
      return ms >= 0 && Double.isFinite(ms)
          ? Optional.of(Duration.ofNanos(Math.round(ms * 1_000_000)))
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> secondsOrDate(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds >= 0 && Double.isFinite(seconds)
          ? Optional.of(Duration.ofMillis(Math.round(seconds * 1000)))
          : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static Optional<Duration> rateLimitReset(Headers headers) {
    Optional<Duration> requests = goDuration(headers.get("x-ratelimit-reset-requests"));
    Optional<Duration> tokens = goDuration(headers.get("x-ratelimit-reset-tokens"));
    boolean requestsExhausted = "0".equals(trim(headers.get("x-ratelimit-remaining-requests")));
    boolean tokensExhausted = "0".equals(trim(headers.get("x-ratelimit-remaining-tokens")));
    if (requestsExhausted && !tokensExhausted && requests.isPresent()) {
      return requests;
    }
    if (tokensExhausted && !requestsExhausted && tokens.isPresent()) {
      return tokens;
    }
    if (requests.isPresent() && tokens.isPresent()) {
      return Optional.of(
          requests.get().compareTo(tokens.get()) >= 0 ? requests.get() : tokens.get());
    }
    return requests.or(() -> tokens);
  }

  /** Parses a Go duration such as {@code 1h2m3.5s} or {@code 250ms}; empty when it is not one. */
  static Optional<Duration> goDuration(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    Matcher m = GO_DURATION_PART.matcher(v);
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      end = m.end();
      double amount = Double.parseDouble(m.group(1));
      double unitNanos =
          switch (m.group(2)) {
            case "ns" -> 1;
            case "us", "\u00b5s" -> 1_000;
            case "ms" -> 1_000_000;
            case "s" -> 1_000_000_000;
            case "m" -> 60_000_000_000d;
            default -> 3_600_000_000_000d;
          };
      nanos += Math.round(amount * unitNanos);
    }
    return end == v.length() && end > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}
