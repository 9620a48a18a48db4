package dev.storymagic.cli.internal;

import dev.storymagic.StoryMagicException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/** One exit code per error class, and the message a user reads on standard error. Not API. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int USAGE = 2;
  public static final int INVALID_REQUEST = 3;
  public static final int UNSAFE_TEXT = 4;
  public static final int UNSAFE_STORY = 5;
  public static final int RATE_LIMITED = 6;
  public static final int TIMEOUT = 7;
  public static final int MODEL_UNAVAILABLE = 8;
  public static final int MODEL_FAILURE = 9;
  public static final int STORAGE = 10;

  /** As a shell reports a command stopped by Ctrl-C. */
  public static final int CANCELLED = 130;

  /** sysexits.h EX_CONFIG. */
  public static final int CONFIGURATION = 78;

  private ExitCodes() {}

  /** The exit code for an exception a command threw. */
  public static int of(Throwable thrown) {
    Throwable t = unwrap(thrown);
    if (t instanceof StoryMagicException.InvalidRequest) {
      return INVALID_REQUEST;
    } else if (t instanceof StoryMagicException.UnsafeInput) {
      return UNSAFE_TEXT;
    } else if (t instanceof StoryMagicException.UnsafeOutput) {
      return UNSAFE_STORY;
    } else if (t instanceof StoryMagicException.RateLimited) {
      return RATE_LIMITED;
    } else if (t instanceof StoryMagicException.TimedOut) {
      return TIMEOUT;
    } else if (t instanceof StoryMagicException.ModelUnavailable) {
      return MODEL_UNAVAILABLE;
    } else if (t instanceof StoryMagicException.ModelFailure) {
      return MODEL_FAILURE;
    } else if (t instanceof StoryMagicException.StorageFailure) {
      return STORAGE;
    } else if (t instanceof StoryMagicException.Cancelled) {
      return CANCELLED;
    } else if (t instanceof ConfigurationException) {
      return CONFIGURATION;
    } else if (t instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    return INTERNAL;
  }

  /**
   * picocli's execution exception handler: a short message on standard error, then the exit code.
   */
  public static int report(Exception thrown, CommandLine cli, CommandLine.ParseResult parsed) {
    Throwable t = unwrap(thrown);
    PrintWriter err = cli.getErr();
    int code = of(t);
    if (t instanceof StoryMagicException.InvalidRequest invalid) {
      err.println("storymagic: invalid story request:");
      invalid.errors().forEach(e -> err.println("  " + e.field() + ": " + e.message()));
    } else if (t instanceof StoryMagicException.UnsafeInput rejected) {
      err.println("storymagic: " + rejected.getMessage());
    } else if (code == INTERNAL) {
      err.println("storymagic: unexpected error: " + t);
      t.printStackTrace(err);
    } else {
      err.println("storymagic: " + t.getMessage());
    }
    err.flush();
    return code;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
