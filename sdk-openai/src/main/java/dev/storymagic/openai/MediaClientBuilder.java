package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.openai.internal.MediaCalls;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;

/**
 * The options both media clients' builders ({@link OpenAiIllustrator.Builder}, {@link
 * OpenAiNarrator.Builder}) take besides the connection: the model, the limit of one attempt, the
 * attempts per call, the price and how the waits between attempts are made. Each option may be set
 * once and returns the client's builder for chaining.
 *
 * @param <B> the client's builder
 */
public abstract class MediaClientBuilder<B extends MediaClientBuilder<B>>
    extends ConnectionChoice<B> {
  /** Names the client's calls in messages, with the model: {@code openai-images}. */
  private final String service;

  String model;
  BigDecimal price;
  private Duration timeout;
  private int maxAttempts = OpenAiIllustrator.DEFAULT_MAX_ATTEMPTS;
  private MediaCalls.Sleeper sleeper = MediaCalls.threadSleep();

  MediaClientBuilder(
      String service, String defaultModel, Duration defaultTimeout, BigDecimal defaultPrice) {
    this.service = service;
    this.model = defaultModel;
    this.timeout = defaultTimeout;
    this.price = defaultPrice;
  }

  /** The model; default the client's {@code DEFAULT_MODEL}. */
  public B model(String model) {
    this.model = set("model", model);
    return self();
  }

  /**
   * The limit of one attempt; must be positive. Default the client's {@code DEFAULT_TIMEOUT}: 90
   * seconds for pictures (they are slow), 60 for speech.
   */
  public B timeout(Duration timeout) {
    once("timeout");
    this.timeout = positive(timeout, "timeout");
    return self();
  }

  /** Attempts per call (per picture, per recording), 1..10; default 3. */
  public B maxAttempts(int attempts) {
    once("maxAttempts");
    require(attempts >= 1 && attempts <= 10, "maxAttempts must be within 1..10: " + attempts);
    this.maxAttempts = attempts;
    return self();
  }

  /** How waits between attempts are made; for tests in this package. */
  B sleeper(MediaCalls.Sleeper sleeper) {
    this.sleeper = requireNonNull(sleeper, "sleeper");
    return self();
  }

  /** Sets the client's price per unit (a picture, a minute of speech) as option {@code option}. */
  final B price(String option, BigDecimal usd) {
    once(option);
    this.price = requireNonNull(usd, "usd");
    return self();
  }

  /**
   * The client's calls on the builder's connection and a pool of their own (a key is required for
   * OpenAI's own API).
   */
  final MediaCalls open(ObjectMapper json) {
    String who = service + ":" + model;
    return openOwnPool(
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
