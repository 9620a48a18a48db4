/**
 * StoryMagic on OpenAI-compatible APIs: {@link dev.storymagic.openai.OpenAiStoryModel} (Chat
 * Completions, plain and streamed), {@link dev.storymagic.openai.OpenAiModerationFilter} (the
 * moderation endpoint as a remote safety filter), {@link dev.storymagic.openai.PriceTable} for
 * estimated costs, and {@link dev.storymagic.openai.OpenAiPlugin} to install both in one call.
 */
package dev.storymagic.openai;
