package dev.storymagic.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryHintsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterMs_winsOverEverythingElse() {
    assertThat(hint("retry-after-ms", "250", "retry-after", "5")).contains(Duration.ofMillis(250));
    assertThat(hint("retry-after-ms", "12.5")).contains(Duration.ofNanos(12_500_000));
  }

  @Test
  void retryAfter_seconds() {
    assertThat(hint("Retry-After", "3")).contains(Duration.ofSeconds(3));
    assertThat(hint("Retry-After", "0")).contains(Duration.ZERO);
  }

  @Test
  void retryAfter_httpDate_isTheTimeUntilThen() {
    assertThat(hint("Retry-After", "Sat, 01 Mar 2025 12:00:07 GMT"))
        .contains(Duration.ofSeconds(7));
    assertThat(hint("Retry-After", "Sat, 01 Mar 2025 11:00:00 GMT")).contains(Duration.ZERO);
  }

  @Test
  void retryAfter_garbage_isIgnored() {
    assertThat(hint("Retry-After", "soon")).isEmpty();
    assertThat(hint("Retry-After", "-5")).isEmpty();
    assertThat(hint("retry-after-ms", "NaN")).isEmpty();
    assertThat(hint("Retry-After", "999999999")).as("more than a day is nonsense").isEmpty();
  }

  @Test
  void rateLimitReset_prefersTheExhaustedCounter() {
    assertThat(
            hint(
                "x-ratelimit-remaining-requests",
                "0",
                "x-ratelimit-reset-requests",
                "1s",
                "x-ratelimit-remaining-tokens",
                "100",
                "x-ratelimit-reset-tokens",
                "6m0s"))
        .contains(Duration.ofSeconds(1));
    assertThat(
            hint(
                "x-ratelimit-remaining-requests",
                "3",
                "x-ratelimit-reset-requests",
                "1s",
                "x-ratelimit-remaining-tokens",
                "0",
                "x-ratelimit-reset-tokens",
                "20ms"))
        .contains(Duration.ofMillis(20));
  }

  @Test
  void rateLimitReset_withoutRemainingCounters_takesTheLonger() {
    assertThat(hint("x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "6m0s"))
        .contains(Duration.ofMinutes(6));
    assertThat(hint("x-ratelimit-reset-tokens", "1.5s")).contains(Duration.ofMillis(1500));
  }

  @Test
  void goDuration_parsesCompoundValues() {
    assertThat(RetryHints.goDuration("1h2m3.5s")).contains(Duration.ofMillis(3_723_500));
    assertThat(RetryHints.goDuration("250ms")).contains(Duration.ofMillis(250));
    assertThat(RetryHints.goDuration("10us")).contains(Duration.ofNanos(10_000));
    assertThat(RetryHints.goDuration("6m0s")).contains(Duration.ofMinutes(6));
    assertThat(RetryHints.goDuration("1s junk")).isEmpty();
    assertThat(RetryHints.goDuration("fast")).isEmpty();
    assertThat(RetryHints.goDuration("")).isEmpty();
  }

  @Test
  void noHeaders_noHint() {
    assertThat(RetryHints.retryAfter(Headers.of(), CLOCK)).isEmpty();
  }

  private static java.util.Optional<Duration> hint(String... namesAndValues) {
    return RetryHints.retryAfter(Headers.of(namesAndValues), CLOCK);
  }
}
