/**
 * Text sources for the evaluation that are generated rather than downloaded (the offline engine's
 * stories as the benign side).
 */
package dev.storymagic.safety.eval.data;
