package dev.storymagic;

import java.time.Duration;

/**
 * How long a story took.
 *
 * @param total from the call to {@code generate} until the story was returned
 * @param model time spent waiting on the model, summed over attempts; zero for cache hits
 */
public record Timings(Duration total, Duration model) {
  public static final Timings ZERO = new Timings(Duration.ZERO, Duration.ZERO);
}
