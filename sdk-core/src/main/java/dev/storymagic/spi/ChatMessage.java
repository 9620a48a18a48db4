package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

/**
 * One message of a rendered prompt.
 *
 * @param role {@code system} or {@code user}
 * @param content the message text
 */
public record ChatMessage(Role role, String content) {
  /** The roles a prompt uses. */
  public enum Role {
    SYSTEM,
    USER;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ChatMessage {
    requireNonNull(role, "role");
    requireNonNull(content, "content");
  }
}
