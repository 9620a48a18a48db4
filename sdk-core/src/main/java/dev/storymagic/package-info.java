/**
 * StoryMagic: safe, age-appropriate children's stories from a language model.
 *
 * <p>This package is what an application calls. It builds one {@link dev.storymagic.StoryMagic} and
 * calls {@code generate} or {@code stream} with a {@link dev.storymagic.StoryRequest}, and gets a
 * {@link dev.storymagic.Story}; every failure is a subtype of the sealed {@link
 * dev.storymagic.StoryMagicException}. The policies it may change ({@link
 * dev.storymagic.SafetyPolicy}, {@link dev.storymagic.ResilienceSettings}, {@link
 * dev.storymagic.QualityPolicy}) are here too.
 *
 * <p>What other modules and applications plug in — models, stores, caches, safety filters, locks,
 * rate limiters, illustrators, narrators — is in {@link dev.storymagic.spi}, with the built-in
 * implementations that need no service at all. Packages named {@code internal} are not API: they
 * may change in any release.
 */
package dev.storymagic;
