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
        .isInstanceOf(CacheEntries.UnreadableEntryException.class)
        .hasMessageContaining("inflates beyond 100 bytes");
  }

  @Test
  void truncatedOrForeignEntriesAreUnreadable() {
    byte[] entry = CacheEntries.encode(TestStoriesAccess.rich());
    assertThatThrownBy(() -> CacheEntries.decode(Arrays.copyOf(entry, entry.length / 2), 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class);
    assertThatThrownBy(() -> CacheEntries.decode(new byte[] {2, 0, '{', '}'}, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class)
        .hasMessage("unknown cache entry version 2");
    assertThatThrownBy(() -> CacheEntries.decode(new byte[] {1, 5, '{', '}'}, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class)
        .hasMessage("unknown cache entry encoding 5");
    assertThatThrownBy(() -> CacheEntries.decode(new byte[] {1}, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class)
        .hasMessage("cache entry too short");
  }

  @Test
  void anEntryWrittenBeforeTheWireModelIsReadAndOneOfAnotherFormatIsTheMissSignal() {
    byte[] json =
        StoryCodecTest.WRITTEN_BY_THE_FIRST_CODEC.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] entry = new byte[json.length + 2];
    entry[0] = CacheEntries.ENVELOPE_VERSION;
    entry[1] = CacheEntries.PLAIN;
    System.arraycopy(json, 0, entry, 2, json.length);
    assertThat(CacheEntries.decode(entry, 1 << 20)).isEqualTo(StoryCodecTest.golden());
    assertThat(CacheEntries.encode(StoryCodecTest.golden()))
        .isEqualTo(CacheEntries.encode(CacheEntries.decode(entry, 1 << 20)));

    byte[] later =
        StoryCodecTest.WRITTEN_BY_THE_FIRST_CODEC
            .replace("{\"v\":1,", "{\"v\":2,")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] laterEntry = new byte[later.length + 2];
    laterEntry[0] = CacheEntries.ENVELOPE_VERSION;
    System.arraycopy(later, 0, laterEntry, 2, later.length);
    assertThatThrownBy(() -> CacheEntries.decode(laterEntry, 1 << 20))
        .isInstanceOf(StoryCodec.UnsupportedFormatException.class)
        .hasMessageContaining("version 2");
    byte[] mangled = entry.clone();
    mangled[mangled.length - 3] = '{';
    assertThatThrownBy(() -> CacheEntries.decode(mangled, 1 << 20))
        .isInstanceOf(CacheEntries.UnreadableEntryException.class);
  }
}
