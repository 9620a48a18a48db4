package dev.storymagic.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.Story;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.contract.StoryCacheContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TieredStoryCacheTest extends StoryCacheContract {
  private final FakeClock clock = FakeClock.create();

  @Override
  protected StoryCache newCache(Duration ttl) {
    return StoryCache.tiered(
        CaffeineStoryCache.create(100, ttl, clock), CaffeineStoryCache.create(1_000, ttl, clock));
  }

  @Override
  protected void letTimePass(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void secondTierHitIsPromotedToTheFirst() {
    CaffeineStoryCache l1 = CaffeineStoryCache.create(10, TTL, clock);
    CaffeineStoryCache l2 = CaffeineStoryCache.create(10, TTL, clock);
    StoryCache tiered = StoryCache.tiered(l1, l2);
    Story story = SampleStories.story("alice");
    l2.put("k", story);
    assertThat(tiered.get("k")).contains(story);
    assertThat(l1.get("k")).contains(story);
    assertThat(tiered.tiers()).containsExactly(l1, l2);
  }
}
