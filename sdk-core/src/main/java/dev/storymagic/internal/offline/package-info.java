/**
 * The offline story engine behind {@link dev.storymagic.spi.OfflineStoryModel}. Not API: anything
 * here may change in any release.
 */
package dev.storymagic.internal.offline;
