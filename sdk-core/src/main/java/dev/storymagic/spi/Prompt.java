package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A rendered prompt: the system message with the age-specific rules and the user message with the
 * request, each user-provided value quoted as data.
 *
 * @param messages system message first, then the user message
 * @param templateVersion the version of the templates that produced it
 */
public record Prompt(List<ChatMessage> messages, String templateVersion) {
  public Prompt {
    messages = List.copyOf(requireNonNull(messages, "messages"));
    requireNonNull(templateVersion, "templateVersion");
  }

  public String system() {
    return messages.stream()
        .filter(m -> m.role() == ChatMessage.Role.SYSTEM)
        .map(ChatMessage::content)
        .findFirst()
        .orElse("");
  }

  public String user() {
    return messages.stream()
        .filter(m -> m.role() == ChatMessage.Role.USER)
        .map(ChatMessage::content)
        .findFirst()
        .orElse("");
  }
}
