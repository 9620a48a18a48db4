/**
 * StoryMagic on PostgreSQL and Redis: {@link dev.storymagic.store.PostgresStoryStore} keeps
 * stories, {@link dev.storymagic.store.RedisPlugin} installs the shared Redis cache tier, the
 * cross-node generation lock and the per-owner rate limiter.
 */
package dev.storymagic.store;
