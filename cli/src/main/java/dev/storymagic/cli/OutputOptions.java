package dev.storymagic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;

/** {@code --json}: shared by every command that prints a result, through {@code @Mixin}. */
public final class OutputOptions {
  static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  @Option(
      names = "--json",
      description = "Print JSON instead of text (one object per line with --stream).")
  boolean json;
}
