/**
 * StoryMagic: safe, age-appropriate children's stories from a language model.
 *
 * <p>An application builds one {@link dev.storymagic.StoryMagic} and calls {@code generate},
 * {@code generateAsync} or {@code stream} with a {@link dev.storymagic.StoryRequest}; every failure
 * is a subtype of the sealed {@link dev.storymagic.StoryMagicException}. The interfaces {@link
 * dev.storymagic.StoryModel}, {@link dev.storymagic.StoryStore}, {@link dev.storymagic.StoryCache},
 * {@link dev.storymagic.SafetyFilter}, {@link dev.storymagic.GenerationLock} and {@link
 * dev.storymagic.StoryRateLimiter} are the extension points that other modules (and applications)
 * implement; {@link dev.storymagic.OfflineStoryModel}, {@link dev.storymagic.CaffeineStoryCache},
 * {@link dev.storymagic.InMemoryStoryStore} and {@link dev.storymagic.LocalSafetyClassifier} are the
 * built-in implementations that work with no service at all.
 */
package dev.storymagic;
