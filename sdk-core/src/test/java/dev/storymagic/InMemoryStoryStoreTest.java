package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.contract.StoryStoreContract;
import org.junit.jupiter.api.Test;

class InMemoryStoryStoreTest extends StoryStoreContract {
  private final InMemoryStoryStore store = InMemoryStoryStore.create();

  @Override
  protected StoryStore store() {
    return store;
  }

  @Test
  void capacityIsEnforcedWithAStorageException() {
    InMemoryStoryStore tiny = InMemoryStoryStore.create(1);
    tiny.save(SampleStories.story("a"));
    assertThatThrownBy(() -> tiny.save(SampleStories.story("b")))
        .isInstanceOf(StoryMagicException.StorageFailure.class)
        .hasMessage("in-memory store is full (1 stories)");
  }

  @Test
  void erasingAnOwnerFreesItsCapacity() {
    InMemoryStoryStore tiny = InMemoryStoryStore.create(1);
    tiny.save(SampleStories.story("a"));
    assertThat(tiny.deleteOwner("a")).isEqualTo(1);
    assertThat(tiny.save(SampleStories.story("b")).owner()).contains("b");
  }
}
