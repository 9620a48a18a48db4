/** The built-in filter providers of the evaluation harness. Not API. */
package dev.storymagic.safety.eval.internal;
