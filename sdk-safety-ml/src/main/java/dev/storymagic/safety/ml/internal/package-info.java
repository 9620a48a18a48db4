/** Implementation of the learned safety layer; not API, may change in any release. */
package dev.storymagic.safety.ml.internal;
