/**
 * The safety evaluation harness: labelled public datasets, the filters under test, confusion
 * figures and the reports the safety figures in the READMEs come from.
 */
package dev.storymagic.safety.eval;
