package dev.storymagic.cli;

import dev.storymagic.AgeGroup;
import dev.storymagic.cli.internal.Converters;
import picocli.CommandLine.Option;

/** {@code --age}: the readers' age group, shared by {@code generate} and {@code check}. */
final class AgeOption {
  @Option(
      names = "--age",
      paramLabel = "AGE",
      defaultValue = "6-8",
      converter = Converters.Age.class,
      description = "The readers' age group: 3-5, 6-8 or 9-12 (default: ${DEFAULT-VALUE}).")
  AgeGroup age;
}
