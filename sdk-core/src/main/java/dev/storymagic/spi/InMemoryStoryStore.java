package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.CacheTier;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link StoryStore} in process memory, for development, tests and single-node embedding.
 * Bounded: saving beyond the capacity fails with a {@link StoryMagicException.StorageFailure}
 * rather than growing without limit. Everything is lost when the process ends.
 *
 * <p>A story read back is equal to the one saved, not the same instance: the store keeps each story
 * in about 0.2 KB, the text and figures shared by the deliveries of one cached story kept once.
 * Finding a story takes no lock; listing, saving and deleting take its owner's.
 */
public final class InMemoryStoryStore implements StoryStore {
  /** Default capacity: 100,000 stories. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private final Map<String, Owner> owners = new ConcurrentHashMap<>();
  private final AtomicLong size = new AtomicLong();
  private final int capacity;
  private final Clock clock;

  private InMemoryStoryStore(int capacity, Clock clock) {
    this.capacity = capacity;
    this.clock = clock;
  }

  public static InMemoryStoryStore create() {
    return create(DEFAULT_CAPACITY);
  }

  /** A store holding at most {@code capacity} stories (1 or more). */
  public static InMemoryStoryStore create(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    return new InMemoryStoryStore(capacity, Clock.systemUTC());
  }

  @Override
  public Story save(Story story) {
    String owner =
        story
            .owner()
            .orElseThrow(() -> new IllegalArgumentException("a stored story needs an owner"));
    Owner o = owners.computeIfAbsent(owner, Owner::new);
    synchronized (o) {
      Optional<String> key = story.request().idempotencyKey();
      if (key.isPresent()) {
        String existing = o.idempotency.get(key.get());
        Entry earlier = existing == null ? null : o.byId.get(existing);
        if (earlier != null) {
          return earlier.story(o);
        }
      }
      if (size.incrementAndGet() > capacity) {
        size.decrementAndGet();
        throw new StoryMagicException.StorageFailure(
            "in-memory store is full (" + capacity + " stories)", null);
      }
      Entry entry = new Entry(story, o.generationOf(story), o.owner);
      Entry previous = o.byId.put(story.id(), entry);
      if (previous != null) {
        o.remove(previous);
        size.decrementAndGet();
      }
      o.insert(entry);
      key.ifPresent(k -> o.idempotency.put(k, story.id()));
      return story;
    }
  }

  @Override
  public Optional<Story> find(String owner, String id) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    Entry e = o == null ? null : o.byId.get(id);
    return e == null ? Optional.empty() : Optional.of(e.story(o));
  }

  @Override
  public Optional<Story> findByIdempotencyKey(String owner, String idempotencyKey) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return Optional.empty();
    }
    String id = o.idempotency.get(idempotencyKey);
    Entry e = id == null ? null : o.byId.get(id);
    return e == null ? Optional.empty() : Optional.of(e.story(o));
  }

  @Override
  public StoryPage list(String owner, Optional<String> cursor, int limit) {
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be within 1..100: " + limit);
    }
    Optional<Entry> after = cursor.map(InMemoryStoryStore::decode);
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return new StoryPage(List.of(), Optional.empty());
    }
    synchronized (o) {
      // Newest first is the sorted array read backwards, from just before the cursor's place.
      int next = after.isPresent() ? o.indexBefore(after.get()) : o.count - 1;
      List<Story> page = new ArrayList<>(Math.min(limit, Math.max(next + 1, 0)));
      Entry last = null;
      while (next >= 0 && page.size() < limit) {
        last = o.ordered[next--];
        page.add(last.story(o));
      }
      boolean more = last != null && next >= 0;
      return new StoryPage(page, more ? Optional.of(encode(last)) : Optional.empty());
    }
  }

  @Override
  public boolean delete(String owner, String id) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return false;
    }
    synchronized (o) {
      Entry removed = o.byId.remove(id);
      if (removed == null) {
        return false;
      }
      o.remove(removed);
      o.idempotency.values().removeIf(id::equals);
      size.decrementAndGet();
      return true;
    }
  }

  @Override
  public long deleteOwner(String owner) {
    Owner o = owners.remove(requireNonNull(owner, "owner"));
    if (o == null) {
      return 0;
    }
    synchronized (o) {
      size.addAndGet(-o.byId.size());
      return o.byId.size();
    }
  }

  @Override
  public OwnerExport export(String owner) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return new OwnerExport(owner, List.of(), List.of(), clock.instant());
    }
    List<Story> stories;
    synchronized (o) {
      stories = new ArrayList<>(o.count);
      for (int i = o.count - 1; i >= 0; i--) {
        stories.add(o.ordered[i].story(o));
      }
    }
    return new OwnerExport(owner, stories, List.copyOf(o.blocked), clock.instant());
  }

  @Override
  public void recordBlocked(BlockedRequest blocked) {
    blocked
        .owner()
        .ifPresent(
            owner -> {
              Owner o = owners.computeIfAbsent(owner, Owner::new);
              // Audit rows are bounded per owner too: the oldest go first.
              if (o.blocked.size() >= 1_000) {
                o.blocked.remove(0);
              }
              o.blocked.add(blocked);
            });
  }

  private static String encode(Entry last) {
    String raw = last.createdAtSeconds + ":" + last.createdAtNanos + ":" + last.id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** A cursor as an entry holding only its place: the time and id of the last story listed. */
  private static Entry decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 3);
      Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      return Entry.place(at, parts[2]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
  }

  /**
   * What every delivery of one generation shares: a story served from the cache a million times is
   * stored as a million entries pointing at one of these, not a million copies of its fields.
   */
  private record Generation(
      String title,
      List<String> paragraphs,
      String model,
      String templateVersion,
      TokenUsage usage,
      BigDecimal estimatedCostUsd,
      QualityReport quality,
      SafetyVerdict safety,
      int attempts,
      StoryRequest request) {

    static Generation of(Story s) {
      return new Generation(
          s.title(),
          s.paragraphs(),
          s.model(),
          s.templateVersion(),
          s.usage(),
          s.estimatedCostUsd(),
          s.quality(),
          s.safety(),
          s.attempts(),
          s.request());
    }

    /**
     * True if {@code s} holds these very instances, as deliveries of one cached story do. The
     * request is not compared: it is only the pattern {@link #sameRequest} matches others against.
     */
    @SuppressWarnings("ReferenceEquality") // identity is the point: equal copies are not shared
    boolean sharedBy(Story s) {
      return s.title() == title
          && s.paragraphs() == paragraphs
          && s.model() == model
          && s.templateVersion() == templateVersion
          && s.usage() == usage
          && s.estimatedCostUsd() == estimatedCostUsd
          && s.quality() == quality
          && s.safety() == safety
          && s.attempts() == attempts;
    }

    /**
     * True if {@code r} is this generation's request, content field by field the very instances,
     * for {@code owner} and with no idempotency key: what a delivery of a cached story asks, so the
     * entry need not keep it.
     */
    @SuppressWarnings({"ReferenceEquality", "OptionalEquality"}) // the pipeline shares instances
    boolean sameRequest(StoryRequest r, Optional<String> owner) {
      StoryRequest g = request;
      return r.theme() == g.theme()
          && r.ageGroup() == g.ageGroup()
          && r.characters() == g.characters()
          && r.setting() == g.setting()
          && r.moral() == g.moral()
          && r.idea() == g.idea()
          && r.length() == g.length()
          && r.language() == g.language()
          && r.fresh() == g.fresh()
          && r.idempotencyKey().isEmpty()
          && r.owner().equals(owner);
    }

    /** This generation's request for {@code owner}, without an idempotency key. */
    StoryRequest requestFor(Optional<String> owner) {
      StoryRequest g = request;
      return new StoryRequest(
          g.theme(),
          g.ageGroup(),
          g.characters(),
          g.setting(),
          g.moral(),
          g.idea(),
          g.length(),
          g.language(),
          g.fresh(),
          owner,
          Optional.empty());
    }
  }

  /**
   * One stored story in one object besides its id and the map's node: the time and timings as
   * numbers, the rest in its {@link Generation}, the request too when it is the generation's; the
   * {@link Story} is made again on each read. The collector copies every object a young story
   * holds, and an in-memory store of a busy server holds many young stories: a {@link Story} with
   * its request, time, timings and index nodes was eleven objects and about 390 bytes, this is four
   * and about 190.
   */
  private static final class Entry {
    final String id;
    final Generation generation;

    /** The story's request; null when it is its generation's for this owner (most deliveries). */
    final StoryRequest request;

    final long createdAtSeconds;
    final int createdAtNanos;
    final long totalNanos;
    final long modelNanos;

    /** The timings when they do not fit in nanoseconds (centuries); otherwise null. */
    final Timings longTimings;

    final CacheTier cacheTier;

    Entry(Story s, Generation generation, Optional<String> owner) {
      this.id = s.id();
      this.generation = generation;
      this.request = generation.sameRequest(s.request(), owner) ? null : s.request();
      Instant at = s.createdAt();
      this.createdAtSeconds = at.getEpochSecond();
      this.createdAtNanos = at.getNano();
      Timings t = s.timings();
      long total = 0;
      long model = 0;
      Timings kept = null;
      try {
        total = t.total().toNanos();
        model = t.model().toNanos();
      } catch (ArithmeticException tooLong) {
        kept = t;
      }
      this.totalNanos = total;
      this.modelNanos = model;
      this.longTimings = kept;
      this.cacheTier = s.cacheTier();
    }

    /** A place in the order only (a cursor): no story. */
    private Entry(Instant at, String id) {
      this.id = id;
      this.generation = null;
      this.request = null;
      this.createdAtSeconds = at.getEpochSecond();
      this.createdAtNanos = at.getNano();
      this.totalNanos = 0;
      this.modelNanos = 0;
      this.longTimings = null;
      this.cacheTier = null;
    }

    static Entry place(Instant at, String id) {
      return new Entry(at, id);
    }

    Story story(Owner o) {
      Generation g = generation;
      return new Story(
          id,
          o.owner,
          g.title(),
          g.paragraphs(),
          request != null ? request : g.requestFor(o.owner),
          g.model(),
          g.templateVersion(),
          g.usage(),
          g.estimatedCostUsd(),
          g.quality(),
          g.safety(),
          longTimings != null
              ? longTimings
              : new Timings(Duration.ofNanos(totalNanos), Duration.ofNanos(modelNanos)),
          cacheTier,
          g.attempts(),
          Instant.ofEpochSecond(createdAtSeconds, createdAtNanos));
    }

    /** Oldest first, equal times by id: the owner's array order, newest first read backwards. */
    int comparePlace(Entry other) {
      int byTime = Long.compare(createdAtSeconds, other.createdAtSeconds);
      if (byTime == 0) {
        byTime = Integer.compare(createdAtNanos, other.createdAtNanos);
      }
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  /**
   * One owner's stories: found by id without a lock; listed from an array kept in time order,
   * changed and read under the owner's lock. Stories arrive in about the order of their times, so a
   * save appends or moves a few entries; a deletion moves the newer ones down.
   */
  private static final class Owner {
    final Optional<String> owner;
    final Map<String, Entry> byId = new ConcurrentHashMap<>();
    final Map<String, String> idempotency = new ConcurrentHashMap<>();
    final List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();
    Entry[] ordered = new Entry[8];
    int count;
    private Generation lastGeneration;

    Owner(String owner) {
      this.owner = Optional.of(owner);
    }

    /** The generation {@code s} belongs to: the last one seen if it shares it, else a new one. */
    Generation generationOf(Story s) {
      Generation last = lastGeneration;
      if (last != null && last.sharedBy(s)) {
        return last;
      }
      lastGeneration = Generation.of(s);
      return lastGeneration;
    }

    void insert(Entry e) {
      int at = count;
      if (at > 0 && ordered[at - 1].comparePlace(e) > 0) {
        // Older than the newest: saved out of time order, as concurrent requests may be.
        int found = Arrays.binarySearch(ordered, 0, count, e, Entry::comparePlace);
        at = found >= 0 ? found : -found - 1;
      }
      if (count == ordered.length) {
        ordered = Arrays.copyOf(ordered, count * 2);
      }
      System.arraycopy(ordered, at, ordered, at + 1, count - at);
      ordered[at] = e;
      count++;
    }

    void remove(Entry e) {
      int at = Arrays.binarySearch(ordered, 0, count, e, Entry::comparePlace);
      if (at < 0) {
        return;
      }
      System.arraycopy(ordered, at + 1, ordered, at, count - at - 1);
      ordered[--count] = null;
    }

    /** The index of the newest entry older than {@code place}, or -1. */
    int indexBefore(Entry place) {
      int at = Arrays.binarySearch(ordered, 0, count, place, Entry::comparePlace);
      return at >= 0 ? at - 1 : -at - 2;
    }
  }
}
