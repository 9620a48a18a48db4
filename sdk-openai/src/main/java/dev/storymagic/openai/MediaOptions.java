package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.openai.internal.MediaCalls;
import java.time.Clock;
import java.time.Duration;

/**
 * The call options both media clients ({@link OpenAiIllustrator}, {@link OpenAiNarrator}) take,
 * collected and checked in one place: the limit of one attempt, the attempts per call and how the
 * waits between them are made. Each client's builder keeps its public methods and hands them here,
 * and each option returns the builder for chaining; the client gets its calls from {@link #open}.
 *
 * @param <B> the client's builder
 */
final class MediaOptions<B extends ConnectionChoice<B>> {
  private final B builder;
  private Duration timeout;
  private int maxAttempts = OpenAiIllustrator.DEFAULT_MAX_ATTEMPTS;
  private MediaCalls.Sleeper sleeper = MediaCalls.threadSleep();

  /**
   * @param builder the client's builder, which tracks that each option is set once and holds the
   *     connection options
   */
  MediaOptions(B builder, Duration defaultTimeout) {
    this.builder = builder;
    this.timeout = defaultTimeout;
  }

  /** Positive. */
  B timeout(Duration timeout) {
    builder.once("timeout");
    this.timeout = ConnectionChoice.positive(timeout, "timeout");
    return builder;
  }

  /** 1 to 10. */
  B maxAttempts(int attempts) {
    builder.once("maxAttempts");
    ConnectionChoice.require(
        attempts >= 1 && attempts <= 10, "maxAttempts must be within 1..10: " + attempts);
    this.maxAttempts = attempts;
    return builder;
  }

  B sleeper(MediaCalls.Sleeper sleeper) {
    this.sleeper = requireNonNull(sleeper, "sleeper");
    return builder;
  }

  /**
   * The client's calls, named {@code who} in messages, on the builder's connection and a pool of
   * their own (a key is required for OpenAI's own API).
   */
  MediaCalls open(String who, ObjectMapper json) {
    return builder.openOwnPool(
        true,
        (connection, transport) ->
            new MediaCalls(
                connection,
                transport,
                timeout,
                maxAttempts,
                who,
                json,
                Clock.systemUTC(),
                sleeper));
  }
}
