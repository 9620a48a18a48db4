/**
 * Implementation of {@code storymagic-store}: the story codec, cursors, pools, migrations and Redis
 * scripts. Not API: anything here may change in any release.
 */
package dev.storymagic.store.internal;
