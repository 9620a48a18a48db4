package dev.storymagic;

/** How serious a safety finding is. Policies block a category from some severity upwards. */
public enum Severity {
  /** Mild: a scuffle, a spooky shadow, a rude word children use. */
  LOW,
  /** Clear: a fight that hurts, a real threat, a swear word. */
  MEDIUM,
  /** Severe: graphic harm, sexual content, hate, self-harm, instructions for harm. */
  HIGH;

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }
}
