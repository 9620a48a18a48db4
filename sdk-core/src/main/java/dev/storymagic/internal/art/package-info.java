/**
 * The offline illustrator: SVG covers and scene pictures drawn from a story's plan, and the folder
 * storage for development. Not API: anything here may change in any release.
 */
package dev.storymagic.internal.art;
