package dev.storymagic;

import java.util.Locale;

/** What a story asset shows or says. */
public enum AssetKind {
  /** The picture on the cover. */
  COVER,
  /** A picture for one scene of the story. */
  SCENE,
  /** The story read aloud (the whole story, or one paragraph). */
  NARRATION;

  /** The lower-case name used on the wire, such as {@code "cover"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
