package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.OwnerExport;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.spi.StoryPage;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Closing StoryMagic closes what its builder was given, each once. */
class OwnershipTest {
  private final List<String> closed = new CopyOnWriteArrayList<>();

  private class ClosingModel implements StoryModel, AutoCloseable {
    private final StoryModel delegate = ScriptedStoryModel.safe();

    @Override
    public String id() {
      return "closing-1";
    }

    @Override
    public ModelResponse generate(ModelRequest request) {
      return delegate.generate(request);
    }

    @Override
    public void close() {
      closed.add("model");
    }
  }

  private final class ClosingFilter implements SafetyFilter, AutoCloseable {
    @Override
    public SafetyAssessment assess(String text, SafetyStage stage) {
      return SafetyAssessment.empty();
    }

    @Override
    public void close() {
      closed.add("filter");
    }
  }

  private final class ClosingStore implements StoryStore, AutoCloseable {
    private final StoryStore delegate = InMemoryStoryStore.create();

    @Override
    public Story save(Story story) {
      return delegate.save(story);
    }

    @Override
    public Optional<Story> find(String owner, String id) {
      return delegate.find(owner, id);
    }

    @Override
    public Optional<Story> findByIdempotencyKey(String owner, String key) {
      return delegate.findByIdempotencyKey(owner, key);
    }

    @Override
    public StoryPage list(String owner, Optional<String> cursor, int limit) {
      return delegate.list(owner, cursor, limit);
    }

    @Override
    public boolean delete(String owner, String id) {
      return delegate.delete(owner, id);
    }

    @Override
    public OwnerExport export(String owner) {
      return delegate.export(owner);
    }

    @Override
    public long deleteOwner(String owner) {
      return delegate.deleteOwner(owner);
    }

    @Override
    public void recordBlocked(BlockedRequest blocked) {
      delegate.recordBlocked(blocked);
    }

    @Override
    public void close() {
      closed.add("store");
    }
  }

  @Test
  void closeClosesTheModelFiltersAndStoreOnceEach() {
    StoryMagic magic =
        StoryMagic.builder()
            .model(new ClosingModel())
            .safety(new ClosingFilter())
            .store(new ClosingStore())
            .build();
    magic.generate(SampleStories.request().withOwner("u1"));
    magic.close();
    magic.close();
    assertThat(closed).containsExactlyInAnyOrder("model", "filter", "store");
  }

  @Test
  void aFailingCloseDoesNotKeepTheOthersOpen() {
    StoryModel failing =
        new ClosingModel() {
          @Override
          public void close() {
            throw new IllegalStateException("boom");
          }
        };
    StoryMagic.builder().model(failing).safety(new ClosingFilter()).build().close();
    assertThat(closed).containsExactly("filter");
  }
}
