package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

  @Test
  void fiftyConcurrentIdenticalRequestsCauseExactlyOneModelCall() throws Exception {
    ScriptedStoryModel model = ScriptedStoryModel.safe().holdUntilReleased();
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(50);
      CountDownLatch ready = new CountDownLatch(50);
      List<Future<Story>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  return magic.generate(SampleStories.request());
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(model.awaitFirstCall(10, TimeUnit.SECONDS)).isTrue();
      model.release();
      List<Story> stories = new ArrayList<>();
      for (Future<Story> f : results) {
        stories.add(f.get(10, TimeUnit.SECONDS));
      }
      pool.shutdown();

      assertThat(model.calls()).isEqualTo(1);
      assertThat(stories).extracting(Story::title).containsOnly(stories.get(0).title());
      // Each caller gets its own delivered copy.
      assertThat(stories).extracting(Story::id).doesNotHaveDuplicates();
    }
  }

  @Test
  void differentRequestsAreNotMerged() {
    ScriptedStoryModel model = ScriptedStoryModel.safe();
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      magic.generate(SampleStories.request());
      magic.generate(SampleStories.request().toBuilder().moral("kindness").build());
      assertThat(model.calls()).isEqualTo(2);
    }
  }

  @Test
  void aFailedLeaderFailsItsFollowersAndTheNextRequestTriesAgain() throws Exception {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe()
            .thenThrow(
                new StoryMagicException.ModelFailure(
                    StoryMagicException.ModelFailure.Reason.BAD_REQUEST, "bad"));
    try (StoryMagic magic =
        StoryMagic.builder().model(model).safety(SafetyFilter.passThrough()).build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.ModelFailure.class);
      assertThat(magic.generate(SampleStories.request()).title()).isNotBlank();
      assertThat(model.calls()).isEqualTo(2);
    }
  }
}
