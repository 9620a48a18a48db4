package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.internal.CacheKeys;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.testing.BrokenTierCache;
import dev.storymagic.testing.FakeClock;
import dev.storymagic.testing.Meters;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import dev.storymagic.testing.SharedTierCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachingTest {
  private final ScriptedStoryModel model = ScriptedStoryModel.safe();

  /** StoryMagic on the scripted model with no safety checks, to be given its cache or store. */
  private StoryMagic.Builder passThroughMagic() {
    return StoryMagic.builder().model(model).safety(SafetyFilter.passThrough());
  }

  @Test
  void secondIdenticalRequestIsAnL1HitWithoutAModelCall() {
    try (StoryMagic magic = passThroughMagic().build()) {
      Story first = magic.generate(SampleStories.request());
      Story second = magic.generate(SampleStories.request());
      assertThat(model.calls()).isEqualTo(1);
      assertThat(first.cacheTier()).isEqualTo(CacheTier.NONE);
      assertThat(second.cacheTier()).isEqualTo(CacheTier.L1);
      assertThat(second.text()).isEqualTo(first.text());
      assertThat(second.id()).isNotEqualTo(first.id());
      assertThat(second.timings().model()).isZero();
    }
  }

  @Test
  void aStoryFromTheCacheIsMadeWhenDeliveredNotWhenFirstGenerated() {
    FakeClock clock = FakeClock.create();
    InMemoryStoryStore store = InMemoryStoryStore.create();
    try (StoryMagic magic = passThroughMagic().clock(clock).store(store).build()) {
      Story generated = magic.generate(SampleStories.request().withOwner("ana"));
      clock.advance(Duration.ofHours(3));
      Story leosEarlier =
          magic.generate(
              SampleStories.request().toBuilder().theme("animals").build().withOwner("leo"));
      clock.advance(Duration.ofMinutes(1));
      Story fromCache = magic.generate(SampleStories.request().withOwner("leo"));

      assertThat(fromCache.cacheTier()).isEqualTo(CacheTier.L1);
      assertThat(fromCache.text()).isEqualTo(generated.text());
      // When Ana first asked is not Leo's to know, and his newest story lists first.
      assertThat(generated.createdAt()).isEqualTo(FakeClock.DEFAULT_START);
      assertThat(fromCache.createdAt())
          .isEqualTo(FakeClock.DEFAULT_START.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(1)));
      assertThat(store.list("leo", Optional.empty(), 10).stories())
          .extracting(Story::id)
          .containsExactly(fromCache.id(), leosEarlier.id());
    }
  }

  @Test
  void freshBypassesTheReadButStillCaches() {
    try (StoryMagic magic = passThroughMagic().build()) {
      magic.generate(SampleStories.request());
      Story fresh = magic.generate(SampleStories.request().toBuilder().fresh(true).build());
      assertThat(fresh.cacheTier()).isEqualTo(CacheTier.NONE);
      assertThat(model.calls()).isEqualTo(2);
      assertThat(magic.generate(SampleStories.request()).cacheTier()).isEqualTo(CacheTier.L1);
      assertThat(model.calls()).isEqualTo(2);
    }
  }

  @Test
  void l2HitsArePromotedToL1AndCounted() {
    CaffeineStoryCache l1 = CaffeineStoryCache.create(100);
    SharedTierCache l2 = new SharedTierCache();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StoryMagic first =
        passThroughMagic().cache(StoryCache.tiered(CaffeineStoryCache.create(100), l2)).build()) {
      first.generate(SampleStories.request());
    }
    try (StoryMagic second =
        passThroughMagic().cache(StoryCache.tiered(l1, l2)).meterRegistry(registry).build()) {
      Story fromL2 = second.generate(SampleStories.request());
      Story fromL1 = second.generate(SampleStories.request());
      assertThat(fromL2.cacheTier()).isEqualTo(CacheTier.L2);
      assertThat(fromL1.cacheTier()).isEqualTo(CacheTier.L1);
    }
    assertThat(model.calls()).isEqualTo(1);
    assertThat(l1.size()).isEqualTo(1);
    assertThat(Meters.cacheRequests(registry, "l1", "miss")).isEqualTo(1);
    assertThat(Meters.cacheRequests(registry, "l2", "hit")).isEqualTo(1);
    assertThat(Meters.cacheRequests(registry, "l1", "hit")).isEqualTo(1);
  }

  @Test
  void aFailingSharedTierIsAMissAndTheStoryIsStillServed() {
    StoryCache broken = new BrokenTierCache();
    try (StoryMagic magic =
        passThroughMagic()
            .cache(StoryCache.tiered(CaffeineStoryCache.create(10), broken))
            .build()) {
      assertThat(magic.generate(SampleStories.request()).title()).isNotBlank();
      assertThat(magic.generate(SampleStories.request()).cacheTier()).isEqualTo(CacheTier.L1);
    }
  }

  @Test
  void cacheKeyCoversContentModelTemplateAndPolicyButNotOwnerOrFreshness() {
    StoryRequest r = SampleStories.request();
    String key = CacheKeys.of(r, "m", "t", "p");
    assertThat(key).hasSize(64).matches("[0-9a-f]+");
    assertThat(
            CacheKeys.of(
                r.toBuilder().owner("u1").idempotencyKey("k").fresh(true).build(), "m", "t", "p"))
        .isEqualTo(key);
    assertThat(
            CacheKeys.of(
                r.toBuilder()
                    .characters(
                        java.util.List.of(
                            new StoryCharacter("  Mia ", "a curious   girl who loves stars"),
                            new StoryCharacter("Bolt", "a small friendly robot")))
                    .build(),
                "m",
                "t",
                "p"))
        .isEqualTo(key);
    assertThat(CacheKeys.of(r, "m2", "t", "p")).isNotEqualTo(key);
    assertThat(CacheKeys.of(r, "m", "t2", "p")).isNotEqualTo(key);
    assertThat(CacheKeys.of(r, "m", "t", "p2")).isNotEqualTo(key);
    assertThat(CacheKeys.of(r.toBuilder().ageGroup(AgeGroup.AGES_9_12).build(), "m", "t", "p"))
        .isNotEqualTo(key);
    // Field boundaries are unambiguous.
    StoryRequest a = StoryRequest.builder().theme("space").setting("ab").moral("c").build();
    StoryRequest b = StoryRequest.builder().theme("space").setting("a").moral("bc").build();
    assertThat(CacheKeys.of(a, "m", "t", "p")).isNotEqualTo(CacheKeys.of(b, "m", "t", "p"));
  }

  @Test
  void aStoryServedToOneOwnerIsDeliveredToAnotherUnderTheirOwnIdAndOwnership() {
    InMemoryStoryStore store = InMemoryStoryStore.create();
    try (StoryMagic magic = passThroughMagic().store(store).build()) {
      Story alice = magic.generate(SampleStories.request().withOwner("alice"));
      Story bob = magic.generate(SampleStories.request().withOwner("bob"));
      assertThat(bob.owner()).hasValue("bob");
      assertThat(store.find("bob", bob.id())).isPresent();
      assertThat(store.find("bob", alice.id())).isEmpty();
      assertThat(store.find("alice", alice.id()))
          .hasValueSatisfying(s -> assertThat(s.owner()).hasValue("alice"));
    }
  }

  @Test
  void aStoryStoredFromTheCacheSharesTheCachedRequestsContentAndKeepsTheCallersOwn() {
    InMemoryStoryStore store = InMemoryStoryStore.create();
    try (StoryMagic magic = passThroughMagic().store(store).build()) {
      Story first = magic.generate(parsedAgain(SampleStories.request()).withOwner("ana"));
      StoryRequest asked =
          parsedAgain(SampleStories.request()).toBuilder()
              .owner("leo")
              .idempotencyKey("leo-1")
              .build();
      Story delivered = magic.generate(asked);

      assertThat(delivered.cacheTier()).isEqualTo(CacheTier.L1);
      Story stored = store.find("leo", delivered.id()).orElseThrow();
      // Equal to what Leo asked, his owner and key included...
      assertThat(stored.request()).isEqualTo(asked);
      assertThat(stored.request().idempotencyKey()).isSameAs(asked.idempotencyKey());
      // ...its content the very values the cached story holds, not the copies his request brought.
      StoryRequest cached = first.request();
      assertThat(stored.request().theme()).isSameAs(cached.theme()).isNotSameAs(asked.theme());
      assertThat(stored.request().characters()).isSameAs(cached.characters());
      assertThat(stored.request().moral()).isSameAs(cached.moral());
      assertThat(stored.request().language()).isSameAs(cached.language());
    }
  }

  /** The request as a server would have it from JSON: equal, but every string a new instance. */
  private static StoryRequest parsedAgain(StoryRequest r) {
    StoryRequest.Builder b =
        r.toBuilder().theme(copy(r.theme())).language(copy(r.language())).characters(List.of());
    r.characters().forEach(c -> b.character(copy(c.name()), copy(c.description())));
    r.moral().ifPresent(m -> b.moral(copy(m)));
    return b.build();
  }

  private static String copy(String s) {
    return new String(s.toCharArray());
  }

  @Test
  void instancesWhoseFiltersDifferInVersionDoNotShareCachedStories() {
    SharedTierCache shared = new SharedTierCache();
    for (String version : new String[] {"rules-1", "rules-2"}) {
      SafetyFilter filter =
          new SafetyFilter() {
            @Override
            public SafetyAssessment assess(String text, SafetyStage stage) {
              return SafetyAssessment.empty();
            }

            @Override
            public String version() {
              return version;
            }
          };
      try (StoryMagic magic =
          StoryMagic.builder().model(model).safety(filter).cache(shared).build()) {
        assertThat(magic.generate(SampleStories.request()).cacheTier()).isEqualTo(CacheTier.NONE);
      }
    }
    assertThat(model.calls()).isEqualTo(2);
    assertThat(shared.size()).isEqualTo(2);
  }

  @Test
  void inputAssessmentsOfLocalFiltersServeEveryAgeGroupButRemoteFiltersAreAskedEveryTime() {
    for (boolean local : new boolean[] {true, false}) {
      java.util.concurrent.atomic.AtomicInteger inputChecks =
          new java.util.concurrent.atomic.AtomicInteger();
      SafetyFilter counting =
          new SafetyFilter() {
            @Override
            public SafetyAssessment assess(String text, SafetyStage stage) {
              if (stage == SafetyStage.INPUT) {
                inputChecks.incrementAndGet();
              }
              return SafetyAssessment.empty();
            }

            @Override
            public boolean incremental() {
              return local;
            }
          };
      try (StoryMagic magic =
          StoryMagic.builder().model(ScriptedStoryModel.safe()).safety(counting).build()) {
        magic.generate(SampleStories.request());
        magic.generate(SampleStories.request());
        magic.generate(SampleStories.request().toBuilder().ageGroup(AgeGroup.AGES_3_5).build());
      }
      // One assessment of the text serves the second request and the other age group.
      assertThat(inputChecks.get()).as("local filter: %s", local).isEqualTo(local ? 1 : 3);
    }
  }
}
