/** Hard quality checks on generated text. Not API: anything here may change in any release. */
package dev.storymagic.internal.quality;
