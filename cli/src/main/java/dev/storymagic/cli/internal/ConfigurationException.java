package dev.storymagic.cli.internal;

/** The environment holds a malformed or missing setting; the message names every one. Not API. */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
