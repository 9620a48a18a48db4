package dev.storymagic;

/** Where a delivered story came from. */
public enum CacheTier {
  /** Generated for this request. */
  NONE,
  /** The in-process cache. */
  L1,
  /** The shared cache (Redis). */
  L2,
  /** The store: an earlier answer to the same idempotency key. */
  STORE;

  /** The lower-case name used in metrics and on the wire. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
