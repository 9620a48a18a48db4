/**
 * The learned safety layer: {@link dev.storymagic.safety.ml.LayeredSafetyFilter}, the lexicon plus
 * MiniLM sentence embeddings run by ONNX Runtime and trained, calibrated heads, with thresholds per
 * category group and age group. Everything under {@code dev.storymagic.safety.ml.internal} is not
 * API.
 */
package dev.storymagic.safety.ml;
