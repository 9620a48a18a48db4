package dev.storymagic.spi;

import dev.storymagic.Story;
import java.util.List;
import java.util.Optional;

/**
 * One page of an owner's stories, newest first.
 *
 * @param stories the stories on this page
 * @param nextCursor the opaque cursor for the next page, absent on the last page
 */
public record StoryPage(List<Story> stories, Optional<String> nextCursor) {
  public StoryPage {
    stories = List.copyOf(stories);
  }
}
