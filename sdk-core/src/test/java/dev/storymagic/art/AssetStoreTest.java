package dev.storymagic.art;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import dev.storymagic.Story;
import dev.storymagic.StoryAsset;
import dev.storymagic.spi.AssetStorage;
import dev.storymagic.spi.AssetStore;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.spi.Illustrator;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.SampleStories;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetStoreTest {
  @TempDir Path dir;

  @Test
  void saves_content_addressed_files_and_lists_them_per_story_and_owner() {
    AssetStore store = AssetStore.create(AssetStorage.localFolder(dir));
    Story story = SampleStories.story("alice");
    List<GeneratedAsset> pictures = Illustrator.offline().illustrate(story, 2);
    String cacheKey = AssetStore.cacheKey("illustrations", "offline-svg", "svg-1", story, "2");

    List<StoryAsset> saved = store.save("alice", story.id(), cacheKey, pictures);

    assertThat(saved).hasSize(3);
    assertThat(saved.get(0).key()).matches("stories/[0-9a-f]{64}\\.svg");
    assertThat(saved.get(0).path()).isEqualTo("/assets/" + saved.get(0).key());
    assertThat(Files.exists(dir.resolve("assets").resolve(saved.get(0).key()))).isTrue();
    assertThat(store.open(saved.get(0).key()))
        .get()
        .satisfies(
            b -> {
              assertThat(b.type()).isEqualTo(AssetType.SVG);
              assertThat(b.bytes()).isEqualTo(pictures.get(0).bytes());
            });
    assertThat(store.list("alice", story.id()))
        .extracting(StoryAsset::kind)
        .containsExactly(AssetKind.COVER, AssetKind.SCENE, AssetKind.SCENE);
    assertThat(store.list("alice")).hasSize(3);
    assertThat(store.list("bob")).isEmpty();
    assertThat(store.list("bob", story.id())).as("scoped to the owner").isEmpty();
  }

  @Test
  void story_ids_are_one_to_64_url_safe_characters() {
    AssetStore store = AssetStore.create(AssetStorage.localFolder(dir));
    String longest = "a".repeat(64);
    for (String id : List.of("s", longest, "3f2b1c4d-0000-4a5e-9c1f-ABCDEF012345", "a_b-C9")) {
      assertThat(store.list("alice", id)).as(id).isEmpty();
    }
    for (String id : List.of("", longest + "a", "../etc", "a b", "a/b", "é", "a.b", "a\u0000")) {
      assertThatThrownBy(() -> store.list("alice", id))
          .as(id)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not a story id");
    }
  }

  @Test
  void the_cache_key_changes_with_model_prompt_version_and_detail() {
    Story story = SampleStories.story("alice");
    String key = AssetStore.cacheKey("illustrations", "offline-svg", "svg-1", story, "2");
    assertThat(key)
        .matches("[0-9a-f]{64}")
        .isEqualTo(
            AssetStore.cacheKey(
                "illustrations", "offline-svg", "svg-1", SampleStories.story("bob"), "2"))
        .isNotEqualTo(AssetStore.cacheKey("illustrations", "gpt-image-1", "svg-1", story, "2"))
        .isNotEqualTo(AssetStore.cacheKey("illustrations", "offline-svg", "svg-2", story, "2"))
        .isNotEqualTo(AssetStore.cacheKey("illustrations", "offline-svg", "svg-1", story, "3"));
  }

  @Test
  void a_shared_file_survives_the_erasure_of_one_owner_and_goes_with_the_last() {
    AssetStore store = AssetStore.create(AssetStorage.localFolder(dir));
    Story alices = SampleStories.story("alice");
    Story bobs = SampleStories.story("bob");
    String cacheKey = AssetStore.cacheKey("illustrations", "offline-svg", "svg-1", alices, "1");
    List<StoryAsset> saved =
        store.save("alice", alices.id(), cacheKey, Illustrator.offline().illustrate(alices, 1));
    List<StoryAsset> reused = store.reuse("bob", bobs.id(), cacheKey).orElseThrow();
    assertThat(reused)
        .extracting(StoryAsset::key)
        .containsExactlyElementsOf(saved.stream().map(StoryAsset::key).toList());
    assertThat(reused).allSatisfy(a -> assertThat(a.storyId()).isEqualTo(bobs.id()));

    assertThat(store.deleteOwner("alice")).isZero();
    assertThat(store.list("alice")).isEmpty();
    assertThat(store.open(saved.get(0).key())).isPresent();

    assertThat(store.deleteOwner("bob")).isEqualTo(2);
    assertThat(store.open(saved.get(0).key())).isEmpty();
    assertThat(files(dir.resolve("assets"))).isEmpty();
    assertThat(store.reuse("carol", "c1", cacheKey)).as("gone files are not reused").isEmpty();
  }

  @Test
  void deleting_a_story_deletes_its_files_and_unknown_keys_are_not_served() {
    AssetStore store = AssetStore.create(AssetStorage.localFolder(dir));
    Story story = SampleStories.story("alice");
    GeneratedAsset audio =
        new GeneratedAsset(
            AssetKind.NARRATION,
            0,
            AssetType.MP3,
            new byte[] {1, 2, 3},
            "The story read aloud.",
            "test-voice",
            BigDecimal.ZERO);
    List<StoryAsset> saved = store.save("alice", story.id(), "0".repeat(64), List.of(audio));
    assertThat(saved.get(0).key()).endsWith(".mp3");
    assertThat(store.open(saved.get(0).key()).orElseThrow().type().contentType())
        .isEqualTo("audio/mpeg");

    assertThat(store.deleteStory("alice", story.id())).isEqualTo(1);
    assertThat(store.open(saved.get(0).key())).isEmpty();
    assertThat(store.open("../../etc/passwd")).isEmpty();
    assertThat(store.open("stories/" + "a".repeat(64) + ".exe")).isEmpty();
    assertThatThrownBy(() -> store.list("alice", "../x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AssetStorage.localFolder(dir).get("../outside"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_story_index_is_read_from_the_storage_once_while_fresh_and_again_after() {
    FakeClock clock = FakeClock.create();
    CountingStorage storage = new CountingStorage(AssetStorage.localFolder(dir));
    AssetStore reader = AssetStore.create(storage, clock);
    AssetStore otherInstance = AssetStore.create(AssetStorage.localFolder(dir), clock);
    Story story = SampleStories.story("alice");

    assertThat(reader.list("alice", story.id())).isEmpty();
    assertThat(reader.list("alice", story.id())).isEmpty();
    assertThat(storage.gets).as("one read of a story without assets").isEqualTo(1);

    otherInstance.save(
        "alice", story.id(), "1".repeat(64), Illustrator.offline().illustrate(story, 1));
    assertThat(reader.list("alice", story.id())).as("still fresh").isEmpty();
    clock.advance(AssetStore.INDEX_FRESHNESS.plusMillis(1));
    assertThat(reader.list("alice", story.id())).hasSize(2);
    assertThat(storage.gets).isEqualTo(2);
  }

  @Test
  void adding_assets_merges_with_the_stored_index_not_a_stale_copy_in_memory() {
    FakeClock clock = FakeClock.create();
    AssetStore here = AssetStore.create(AssetStorage.localFolder(dir), clock);
    AssetStore otherInstance = AssetStore.create(AssetStorage.localFolder(dir), clock);
    Story story = SampleStories.story("alice");
    assertThat(here.list("alice", story.id())).isEmpty(); // now in memory, empty

    otherInstance.save(
        "alice",
        story.id(),
        "2".repeat(64),
        List.of(
            new GeneratedAsset(
                AssetKind.NARRATION,
                0,
                AssetType.MP3,
                new byte[] {4, 5, 6},
                "The story read aloud.",
                "test-voice",
                BigDecimal.ZERO)));
    here.save("alice", story.id(), "3".repeat(64), Illustrator.offline().illustrate(story, 1));

    assertThat(here.list("alice", story.id()))
        .as("written by this store: shown at once, with what the other added")
        .extracting(StoryAsset::kind)
        .containsExactly(AssetKind.COVER, AssetKind.SCENE, AssetKind.NARRATION);
    here.deleteStory("alice", story.id());
    assertThat(here.list("alice", story.id())).as("forgotten at once").isEmpty();
  }

  /** A storage that counts its reads. */
  private static final class CountingStorage implements AssetStorage {
    final AssetStorage delegate;
    int gets;

    CountingStorage(AssetStorage delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, byte[] body, String contentType, boolean publicAsset) {
      delegate.put(key, body, contentType, publicAsset);
    }

    @Override
    public java.util.Optional<byte[]> get(String key) {
      gets++;
      return delegate.get(key);
    }

    @Override
    public boolean exists(String key) {
      return delegate.exists(key);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public List<String> list(String prefix) {
      return delegate.list(prefix);
    }
  }

  private static List<Path> files(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
