package dev.storymagic.server.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests each user has in flight on this server, bounded per user, so one signed-in client cannot
 * hold more than its share of connections, threads and generations (for example with request bodies
 * it never finishes sending). Entries disappear when a user's count returns to zero, so the map
 * holds only users with requests open.
 */
public final class UserSlots {
  private final int perUser;
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  /**
   * @param perUser requests one user may have open; 0 means no limit
   */
  public UserSlots(int perUser) {
    if (perUser < 0) {
      throw new IllegalArgumentException("perUser cannot be negative: " + perUser);
    }
    this.perUser = perUser;
  }

  /** Takes a slot for {@code uid}; false when the user already has {@code perUser} open. */
  public boolean tryAcquire(String uid) {
    if (perUser == 0) {
      return true;
    }
    boolean[] taken = {false};
    counts.compute(
        uid,
        (k, n) -> {
          int current = n == null ? 0 : n;
          if (current >= perUser) {
            return n;
          }
          taken[0] = true;
          return current + 1;
        });
    return taken[0];
  }

  /** Returns a slot taken by {@link #tryAcquire}. */
  public void release(String uid) {
    if (perUser == 0) {
      return;
    }
    counts.computeIfPresent(uid, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Users with at least one request open. */
  public int activeUsers() {
    return counts.size();
  }
}
