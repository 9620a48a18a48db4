package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.TokenUsage;
import java.math.BigDecimal;
import java.util.List;

/**
 * A story as the model wrote it, before checks.
 *
 * @param title the title; may be blank if the model gave none (the quality check flags it)
 * @param paragraphs the body
 * @param usage tokens consumed by this call
 * @param estimatedCostUsd the call's estimated cost
 * @param model the model that actually answered (providers may resolve aliases)
 */
public record ModelResponse(
    String title,
    List<String> paragraphs,
    TokenUsage usage,
    BigDecimal estimatedCostUsd,
    String model) {
  public ModelResponse {
    requireNonNull(title, "title");
    paragraphs = List.copyOf(requireNonNull(paragraphs, "paragraphs"));
    requireNonNull(usage, "usage");
    requireNonNull(estimatedCostUsd, "estimatedCostUsd");
    requireNonNull(model, "model");
  }

  /** The body as one string, paragraphs separated by a blank line. */
  public String text() {
    return String.join("\n\n", paragraphs);
  }
}
