/**
 * The story's wire model: the records a {@link dev.storymagic.Story} becomes in JSON, and the one
 * configured Jackson mapper that writes and reads them. {@link StoryDocument} is the exact stored
 * form (caches and stores); {@link StoryView} is the HTTP form derived from the same story. Not
 * API: anything here may change in any release.
 */
package dev.storymagic.internal.wire;
