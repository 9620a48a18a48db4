package dev.storymagic;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a piece of text can be unsafe for. The first group follows OpenAI's moderation taxonomy; the
 * rest are what a children's product needs beyond it.
 */
public enum SafetyCategory {
  SEXUAL("sexual"),
  SEXUAL_MINORS("sexual/minors"),
  HATE("hate"),
  HATE_THREATENING("hate/threatening"),
  HARASSMENT("harassment"),
  HARASSMENT_THREATENING("harassment/threatening"),
  VIOLENCE("violence"),
  VIOLENCE_GRAPHIC("violence/graphic"),
  SELF_HARM("self-harm"),
  SELF_HARM_INTENT("self-harm/intent"),
  SELF_HARM_INSTRUCTIONS("self-harm/instructions"),
  /** Drugs, alcohol, weapons and other illegal or age-restricted activity. */
  ILLICIT("illicit"),
  ILLICIT_VIOLENT("illicit/violent"),
  PROFANITY("profanity"),
  /** Phone numbers, e-mail or street addresses, identifying details about a child. */
  PERSONAL_DATA("personal-data"),
  /** Frightening or mature themes unsuitable for the youngest readers. */
  FRIGHTENING("frightening"),
  /** An attempt in user text to override the model's instructions. */
  PROMPT_INJECTION("prompt-injection"),
  /**
   * Not a kind of harm: a filter the policy relies on could not check the text (a remote moderation
   * outage that fails closed). Blocked like any other category, so nothing unchecked is released,
   * and reported under its own name so an outage never reads as a story about something it did not
   * contain.
   */
  UNVERIFIED("unverified");

  private final String label;

  SafetyCategory(String label) {
    this.label = label;
  }

  /** The wire and metric name, such as {@code "violence/graphic"}. */
  public String label() {
    return label;
  }

  public static Optional<SafetyCategory> fromLabel(String label) {
    return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst();
  }
}
