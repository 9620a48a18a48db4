/**
 * Implementation of {@code storymagic-core}: the pipeline, resilience, template rendering, cache
 * keys and quality checks. Not API: anything here may change in any release.
 */
package dev.storymagic.internal;
