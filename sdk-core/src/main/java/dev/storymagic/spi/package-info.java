/**
 * The extension points of StoryMagic and their built-in implementations.
 *
 * <p>A module or an application implements one of these interfaces and hands it to {@link
 * dev.storymagic.StoryMagic.Builder}: {@link dev.storymagic.spi.StoryModel} (the language model),
 * {@link dev.storymagic.spi.StoryStore}, {@link dev.storymagic.spi.StoryCache}, {@link
 * dev.storymagic.spi.SafetyFilter}, {@link dev.storymagic.spi.GenerationLock}, {@link
 * dev.storymagic.spi.StoryRateLimiter}, {@link dev.storymagic.spi.Illustrator}, {@link
 * dev.storymagic.spi.Narrator} and {@link dev.storymagic.spi.AssetStorage}; a {@link
 * dev.storymagic.spi.StoryMagicPlugin} installs several at once. The records beside them are what
 * the pipeline and an implementation exchange.
 *
 * <p>The built-in implementations work with no service at all: {@link
 * dev.storymagic.spi.OfflineStoryModel}, {@link dev.storymagic.spi.CaffeineStoryCache}, {@link
 * dev.storymagic.spi.InMemoryStoryStore} and {@link dev.storymagic.spi.LocalSafetyClassifier}.
 */
package dev.storymagic.spi;
