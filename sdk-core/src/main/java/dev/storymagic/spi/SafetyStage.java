package dev.storymagic.spi;

/** Where in the pipeline a safety check runs. */
public enum SafetyStage {
  /** The user's own text, before anything is generated. */
  INPUT,
  /** The model's story, before it is released. */
  OUTPUT;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
