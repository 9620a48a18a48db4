/**
 * The offline engine's quality benchmark: variety, repetition, seams and reading level over a grid
 * of requests.
 */
package dev.storymagic.benchmarks.quality;
