package dev.storymagic.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.Story;
import dev.storymagic.store.TestStoriesAccess;
import dev.storymagic.testing.SampleStories;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CacheEntriesTest {

  @Test
  void largeStoryIsDeflatedAndReadsBackExactly() {
    Story story = TestStoriesAccess.rich();
    byte[] entry = CacheEntries.encode(story);
    assertThat(entry[0]).isEqualTo(CacheEntries.ENVELOPE_VERSION);
    assertThat(entry[1]).isEqualTo(CacheEntries.DEFLATED);
    assertThat(entry.length).isLessThan(StoryCodec.toBytes(story).length);
    assertThat(CacheEntries.decode(entry, 1 << 20)).isEqualTo(story);
  }

  @Test
  void sampleStoryRoundTrips() {
    Story story = SampleStories.story("a");
    assertThat(CacheEntries.decode(CacheEntries.encode(story), 1 << 20)).isEqualTo(story);
  }

  @Test
  void entryInflatingBeyondTheLimitIsUnreadable() {
    byte[] entry = CacheEntries.encode(TestStoriesAccess.rich());
    assertThatThrownBy(() -> CacheEntries.decode(entry, 100))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class).hasMessageContaining("inflates beyond 100 bytes");
  }

  @Test
  void truncatedOrForeignEntriesAreUnreadable() {
    byte[] entry = CacheEntries.encode(TestStoriesAccess.rich());
    assertThatThrownBy(() -> CacheEntries.decode(Arrays.copyOf(entry, entry.length / 2), 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class);
    assertThatThrownBy(() -> CacheEntries.decode(new byte[] {2, 0, '{', '}'}, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class).hasMessage("unknown cache entry version 2");
    assertThatThrownBy(() -> CacheEntries.decode(new byte[] {1, 5, '{', '}'}, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class).hasMessage("unknown cache entry encoding 5");
    assertThatThrownBy(() -> CacheEntries.decode(new byte[] {1}, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class).hasMessage("cache entry too short");
  }
}
