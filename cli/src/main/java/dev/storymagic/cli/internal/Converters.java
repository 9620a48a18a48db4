package dev.storymagic.cli.internal;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryLength;
import dev.storymagic.spi.SafetyStage;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters whose messages say what is accepted. Not API. */
public final class Converters {
  private Converters() {}

  /** {@code 3-5}, {@code 6-8} or {@code 9-12}. */
  public static final class Age implements ITypeConverter<AgeGroup> {
    @Override
    public AgeGroup convert(String value) {
      return AgeGroup.parse(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'" + value + "' is not an age group: use 3-5, 6-8 or 9-12"));
    }
  }

  /** {@code short}, {@code medium} or {@code long}. */
  public static final class Length implements ITypeConverter<StoryLength> {
    @Override
    public StoryLength convert(String value) {
      return StoryLength.parse(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'" + value + "' is not a length: use short, medium or long"));
    }
  }

  /** {@code NAME} or {@code NAME:DESCRIPTION}. */
  @SuppressWarnings("JavaLangClash") // always named qualified, as Converters.Character
  public static final class Character implements ITypeConverter<StoryCharacter> {
    @Override
    public StoryCharacter convert(String value) {
      int colon = value.indexOf(':');
      String name = (colon < 0 ? value : value.substring(0, colon)).strip();
      String description = colon < 0 ? "" : value.substring(colon + 1).strip();
      if (name.isEmpty()) {
        throw new TypeConversionException(
            "'"
                + value
                + "' has no name: use NAME or NAME:DESCRIPTION, such as \"Mia:a curious girl\"");
      }
      try {
        return new StoryCharacter(name, description);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code input} (text a user typed) or {@code output} (a story). */
  public static final class Stage implements ITypeConverter<SafetyStage> {
    @Override
    public SafetyStage convert(String value) {
      for (SafetyStage s : SafetyStage.values()) {
        if (s.name().equalsIgnoreCase(value) || s.label().equalsIgnoreCase(value)) {
          return s;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a stage: use input or output");
    }
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
