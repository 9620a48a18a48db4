package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import dev.storymagic.StoryMagic;
import dev.storymagic.spi.StoryMagicPlugin;

/**
 * Installs an {@link OpenAiStoryModel} and, after the default local filter, an {@link
 * OpenAiModerationFilter} sharing its connection pool, in one call:
 *
 * <pre>{@code
 * StoryMagic magic = StoryMagic.builder()
 *     .install(OpenAiPlugin.of(OpenAiStoryModel.builder().model("gpt-4o-mini").build()))
 *     .build();
 * }</pre>
 *
 * @param model the story model
 * @param moderation the moderation filter installed after the default local filter
 */
public record OpenAiPlugin(OpenAiStoryModel model, OpenAiModerationFilter moderation)
    implements StoryMagicPlugin {

  /**
   * The model and the given moderation filter.
   *
   * @throws NullPointerException naming a missing component
   */
  public OpenAiPlugin {
    requireNonNull(model, "model");
    requireNonNull(moderation, "moderation");
  }

  /** The model, with a moderation filter of default settings built from it. */
  public static OpenAiPlugin of(OpenAiStoryModel model) {
    return new OpenAiPlugin(requireNonNull(model, "model"), OpenAiModerationFilter.create(model));
  }

  /** The model and the given moderation filter. */
  public static OpenAiPlugin of(OpenAiStoryModel model, OpenAiModerationFilter moderation) {
    return new OpenAiPlugin(model, moderation);
  }

  @Override
  public void install(StoryMagic.Builder builder) {
    builder.model(model).moderation(moderation);
  }
}
