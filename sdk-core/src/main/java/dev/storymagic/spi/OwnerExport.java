package dev.storymagic.spi;

import dev.storymagic.Story;
import java.time.Instant;
import java.util.List;

/**
 * Everything stored about one owner, for a data-access request.
 *
 * @param owner the owner
 * @param stories their stories, newest first
 * @param blockedRequests the audit rows of their blocked requests
 * @param exportedAt when the export was taken
 */
public record OwnerExport(
    String owner, List<Story> stories, List<BlockedRequest> blockedRequests, Instant exportedAt) {
  public OwnerExport {
    stories = List.copyOf(stories);
    blockedRequests = List.copyOf(blockedRequests);
  }
}
