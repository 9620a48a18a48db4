package dev.storymagic;

import static java.util.Objects.requireNonNull;

/**
 * The health of one dependency, as reported to {@code /health}.
 *
 * @param status up, degraded or down
 * @param detail a short explanation, never a secret
 */
public record ComponentHealth(Status status, String detail) {
  /** Health states. */
  public enum Status {
    UP,
    DEGRADED,
    DOWN
  }

  public ComponentHealth {
    requireNonNull(status, "status");
    requireNonNull(detail, "detail");
  }

  public static ComponentHealth up(String detail) {
    return new ComponentHealth(Status.UP, detail);
  }

  public static ComponentHealth down(String detail) {
    return new ComponentHealth(Status.DOWN, detail);
  }
}
