/**
 * The lexicon scanner behind {@link dev.storymagic.spi.LocalSafetyClassifier}: text normalisation,
 * the pattern automaton, encoded-text and personal-data scanners. Not API: anything here may change
 * in any release.
 */
package dev.storymagic.internal.safety;
