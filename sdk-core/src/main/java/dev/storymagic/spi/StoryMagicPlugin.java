package dev.storymagic.spi;

import dev.storymagic.StoryMagic;

/**
 * Configures a {@link StoryMagic.Builder} in one step, as a module's integration point: for example
 * a plugin that installs a Redis cache tier, a distributed lock and a rate limiter together.
 */
@FunctionalInterface
public interface StoryMagicPlugin {
  void install(StoryMagic.Builder builder);
}
