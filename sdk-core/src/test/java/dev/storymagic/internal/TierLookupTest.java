package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.testing.BrokenTierCache;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.SharedTierCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TierLookupTest {
  final Story story = SampleStories.story("owner-1");

  @Test
  void aHitInAFartherTierIsCopiedIntoTheNearerOnesAndNamesItsTier() {
    StoryCache l1 = CaffeineStoryCache.create(10);
    SharedTierCache l2 = new SharedTierCache();
    l2.put("k", story);

    Optional<TierLookup.Hit> hit = TierLookup.find(List.of(l1, l2), 0, "k", TierLookup.DIRECT);

    assertThat(hit).contains(new TierLookup.Hit(story, CacheTier.L2));
    assertThat(l1.get("k")).contains(story);
  }

  @Test
  void aFailingTierIsAMissAndTheWalkGoesOn() {
    StoryCache l1 = CaffeineStoryCache.create(10);
    SharedTierCache l3 = new SharedTierCache();
    l3.put("k", story);

    assertThat(TierLookup.find(List.of(l1, new BrokenTierCache(), l3), 0, "k", TierLookup.DIRECT))
        .isPresent();
    assertThat(TierLookup.find(List.of(l1, new BrokenTierCache()), 0, "other", TierLookup.DIRECT))
        .isEmpty();
  }

  @Test
  void aWalkFromAFartherTierReadsNeitherNearerTierButFillsThem() {
    StoryCache l1 = CaffeineStoryCache.create(10);
    SharedTierCache l2 = new SharedTierCache();
    l2.put("k", story);
    List<CacheTier> read = new ArrayList<>();

    Optional<TierLookup.Hit> hit =
        TierLookup.find(
            List.of(l1, l2),
            1,
            "k",
            (tier, key) -> {
              read.add(tier.tier());
              return tier.get(key);
            });

    assertThat(hit).isPresent();
    assertThat(read).containsExactly(CacheTier.L2);
    assertThat(l1.get("k")).contains(story);
  }

  @Test
  void writingSkipsAFailingTierAndFillsTheOthers() {
    StoryCache l1 = CaffeineStoryCache.create(10);
    SharedTierCache l3 = new SharedTierCache();

    TierLookup.putAll(List.of(l1, new BrokenTierCache(), l3), "k", story);

    assertThat(l1.get("k")).contains(story);
    assertThat(l3.get("k")).contains(story);
  }

  @Test
  void theTieredCacheReadsThroughTheSameWalk() {
    StoryCache l1 = CaffeineStoryCache.create(10);
    SharedTierCache l2 = new SharedTierCache();
    l2.put("k", story);
    StoryCache tiered = StoryCache.tiered(l1, l2);

    assertThat(tiered.get("k")).contains(story);
    assertThat(l1.get("k")).contains(story);
    assertThat(StoryCache.tiered(l1, new BrokenTierCache()).get("missing")).isEmpty();
  }
}
