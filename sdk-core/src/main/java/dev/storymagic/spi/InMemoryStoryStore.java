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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * A {@link StoryStore} in process memory, for development, tests and single-node embedding.
 * Bounded: saving beyond the capacity fails with a {@link StoryMagicException.StorageFailure}
 * rather than growing without limit. Everything is lost when the process ends.
 *
 * <p>A story read back is equal to the one saved, not the same instance. Each owner's stories are
 * kept in arrays of numbers, about 70 bytes a story: the id as its 128 bits, the time and timings,
 * the place of what the deliveries of one cached story share (text, figures, request), kept once.
 * Saving a story stores no reference, so the collector neither copies stored stories while they are
 * young nor scans the store for references to young objects: a store holding a million young
 * stories as objects in maps made every young collection of a busy server copy them and scan the
 * maps' tables, pauses of 15–25 ms twice a second under cached {@code POST}s. Ids that are not
 * lower-case UUIDs, requests other than their generation's and timings beyond nanoseconds are kept
 * as objects beside the numbers.
 *
 * <p>Finding a story takes no lock: it reads optimistically and again under its owner's read lock
 * if a save or deletion overlapped. Listing takes the owner's read lock, saving and deleting its
 * write lock.
 */
public final class InMemoryStoryStore implements StoryStore {
  /** Default capacity: 100,000 stories. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private static final CacheTier[] TIERS = CacheTier.values();

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
    while (true) {
      Owner o = owners.computeIfAbsent(owner, Owner::new);
      long stamp = o.lock.writeLock();
      try {
        if (o.erased) {
          continue; // erased since it was looked up: save into the owner's next shelf
        }
        Optional<String> key = story.request().idempotencyKey();
        if (key.isPresent()) {
          String existing = o.idempotency.get(key.get());
          int earlier = existing == null ? -1 : o.slotOf(existing);
          if (earlier >= 0) {
            return o.story(earlier, existing);
          }
        }
        if (size.incrementAndGet() > capacity) {
          size.decrementAndGet();
          throw new StoryMagicException.StorageFailure(
              "in-memory store is full (" + capacity + " stories)", null);
        }
        int previous = o.slotOf(story.id());
        if (previous >= 0) {
          o.remove(previous);
          size.decrementAndGet();
        }
        o.add(story);
        key.ifPresent(k -> o.idempotency.put(k, story.id()));
        return story;
      } finally {
        o.lock.unlockWrite(stamp);
      }
    }
  }

  @Override
  public Optional<Story> find(String owner, String id) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    return o == null ? Optional.empty() : Optional.ofNullable(o.find(requireNonNull(id, "id")));
  }

  @Override
  public Optional<Story> findByIdempotencyKey(String owner, String idempotencyKey) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return Optional.empty();
    }
    String id = o.idempotency.get(idempotencyKey);
    return id == null ? Optional.empty() : Optional.ofNullable(o.find(id));
  }

  @Override
  public StoryPage list(String owner, Optional<String> cursor, int limit) {
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be within 1..100: " + limit);
    }
    Optional<Place> after = cursor.map(InMemoryStoryStore::decode);
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return new StoryPage(List.of(), Optional.empty());
    }
    long stamp = o.lock.readLock();
    try {
      // Newest first is the sorted array read backwards, from just before the cursor's place.
      int next = after.isPresent() ? o.indexBefore(after.get()) : o.count - 1;
      List<Story> page = new ArrayList<>(Math.min(limit, Math.max(next + 1, 0)));
      int last = -1;
      while (next >= 0 && page.size() < limit) {
        last = o.ordered[next--];
        page.add(o.story(last, null));
      }
      boolean more = last >= 0 && next >= 0;
      return new StoryPage(page, more ? Optional.of(o.cursorAt(last)) : Optional.empty());
    } finally {
      o.lock.unlockRead(stamp);
    }
  }

  @Override
  public boolean delete(String owner, String id) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return false;
    }
    long stamp = o.lock.writeLock();
    try {
      int slot = o.slotOf(id);
      if (slot < 0) {
        return false;
      }
      o.remove(slot);
      o.idempotency.values().removeIf(id::equals);
      size.decrementAndGet();
      return true;
    } finally {
      o.lock.unlockWrite(stamp);
    }
  }

  @Override
  public long deleteOwner(String owner) {
    Owner o = owners.remove(requireNonNull(owner, "owner"));
    if (o == null) {
      return 0;
    }
    long stamp = o.lock.writeLock();
    try {
      o.erased = true;
      size.addAndGet(-o.count);
      return o.count;
    } finally {
      o.lock.unlockWrite(stamp);
    }
  }

  @Override
  public OwnerExport export(String owner) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return new OwnerExport(owner, List.of(), List.of(), clock.instant());
    }
    List<Story> stories;
    long stamp = o.lock.readLock();
    try {
      stories = new ArrayList<>(o.count);
      for (int i = o.count - 1; i >= 0; i--) {
        stories.add(o.story(o.ordered[i], null));
      }
    } finally {
      o.lock.unlockRead(stamp);
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

  /** A cursor as a place in the order: the time and id of the last story listed. */
  private static Place decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 3);
      Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      return new Place(at.getEpochSecond(), at.getNano(), new StoryId(parts[2]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
  }

  /** A place in an owner's order: oldest first, equal times by id. */
  private record Place(long seconds, int nanos, StoryId id) {}

  /**
   * A story id as the store compares and hashes it: a lower-case UUID (every id the pipeline gives)
   * as its 128 bits, any other id as its text.
   */
  private static final class StoryId {
    final long high;
    final long low;

    /** The id when it is not a lower-case UUID; null when it is one. */
    final String other;

    StoryId(String id) {
      if (isLowerCaseUuid(id)) {
        this.high = hex(id, 0, 8) << 32 | hex(id, 9, 13) << 16 | hex(id, 14, 18);
        this.low = hex(id, 19, 23) << 48 | hex(id, 24, 36);
        this.other = null;
      } else {
        this.high = 0;
        this.low = 0;
        this.other = id;
      }
    }

    StoryId(long high, long low) {
      this.high = high;
      this.low = low;
      this.other = null;
    }

    /** 36 characters, dashes after the 8th, 12th, 16th and 20th hex digit, digits 0-9 and a-f. */
    static boolean isLowerCaseUuid(String id) {
      if (id.length() != 36) {
        return false;
      }
      for (int i = 0; i < 36; i++) {
        char c = id.charAt(i);
        boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
          return false;
        }
      }
      return true;
    }

    private static long hex(String s, int from, int to) {
      long v = 0;
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        v = v << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
      }
      return v;
    }

    static String text(long high, long low) {
      return new UUID(high, low).toString();
    }

    static int hash(long high, long low) {
      long h = (high ^ low) * 0x9E3779B97F4A7C15L;
      return (int) (h ^ h >>> 32);
    }

    static int hash(String other) {
      int h = other.hashCode() * 0x9E3779B9;
      return h ^ h >>> 16;
    }

    int hash() {
      return other == null ? hash(high, low) : hash(other);
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

  /** What a slot holds beyond its numbers: a request other than its generation's, long timings. */
  private record Extra(StoryRequest request, Timings timings) {}

  /**
   * One owner's stories. Each stored story has a slot (slots freed by deletions are used again);
   * its numbers are {@link #STRIDE} longs of a page, the first page growing by doubling up to
   * {@link #PAGE_SLOTS} slots, later pages allocated whole, so that no growth copies more than one
   * page. {@code ordered} lists the slots in time order, oldest first; the id index finds a slot by
   * id. Stories arrive in about the order of their times, so a save appends to {@code ordered} or
   * moves a few slots; a deletion moves the newer ones down. Fields change under the write lock
   * only, and what a reader may be holding is replaced, not changed, except index cells and the
   * order (which readers without the lock validate).
   */
  private static final class Owner {
    static final int PAGE_BITS = 12;
    static final int PAGE_SLOTS = 1 << PAGE_BITS;
    static final int PAGE_MASK = PAGE_SLOTS - 1;
    // A slot's numbers: the id's bits, the time, the timings, the time's nanoseconds with the
    // index of its generation, the cache tier.
    static final int HIGH = 0;
    static final int LOW = 1;
    static final int SECONDS = 2;
    static final int TOTAL = 3;
    static final int MODEL = 4;
    static final int NANOS_AND_SHARED = 5;
    static final int TIER = 6;
    static final int STRIDE = 7;

    /** Cells of an index segment beyond which it splits in two instead of growing. */
    static final int SEGMENT_CELLS = 4096;

    /** Hash bits the directory may use; past them (colliding hashes) a segment grows instead. */
    static final int MAX_DIRECTORY_BITS = 16;

    final Optional<String> owner;
    final StampedLock lock = new StampedLock();
    final Map<String, String> idempotency = new ConcurrentHashMap<>();
    final List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();

    /** Set when the owner was erased: a save that found this shelf before must look again. */
    boolean erased;

    long[][] words = {new long[4 * STRIDE]};

    /** Ids that are not lower-case UUIDs, by slot in pages like the words'; null until needed. */
    Object[][] otherIds;

    /** {@link Extra}s by slot, in pages like the words'; null until a story needs one. */
    Object[][] extras;

    int slotsUsed;
    final IntStack freeSlots = new IntStack();

    int[] ordered = new int[4];
    int count;

    /**
     * The id index, by extendible hashing: the directory maps the top bits of an id's hash to a
     * segment, an open-addressing table (slot + 1 per cell, 0 empty, at most half full) that grows
     * up to {@link #SEGMENT_CELLS} and then splits, so that no save rehashes more than one segment.
     */
    Segment[] directory = {new Segment(0, 8)};

    // What the deliveries of one generation share, with how many stored stories use each.
    Generation[] shared = new Generation[2];
    int[] sharedBy = new int[2];
    int sharedUsed;
    final IntStack freeShared = new IntStack();
    int lastShared = -1;

    Owner(String owner) {
      this.owner = Optional.of(owner);
    }

    /** The story with this id, or null; without a lock unless a write overlaps. */
    Story find(String id) {
      StoryId wanted = new StoryId(id);
      long stamp = lock.tryOptimisticRead();
      if (stamp != 0) {
        Story found;
        try {
          int slot = slotOf(wanted);
          found = slot < 0 ? null : story(slot, id);
        } catch (RuntimeException torn) {
          found = null; // read while a write moved things: the validation below fails
        }
        if (lock.validate(stamp)) {
          return found;
        }
      }
      stamp = lock.readLock();
      try {
        int slot = slotOf(wanted);
        return slot < 0 ? null : story(slot, id);
      } finally {
        lock.unlockRead(stamp);
      }
    }

    int slotOf(String id) {
      return slotOf(new StoryId(id));
    }

    /** The slot holding {@code id}, or -1. Bounded even over arrays a concurrent write tore. */
    int slotOf(StoryId id) {
      int hash = id.hash();
      int[] cells = segmentFor(directory, hash).cells;
      int mask = cells.length - 1;
      int at = hash & mask;
      for (int probes = 0; probes < cells.length; probes++, at = (at + 1) & mask) {
        int cell = cells[at];
        if (cell == 0) {
          return -1;
        }
        if (holds(cell - 1, id)) {
          return cell - 1;
        }
      }
      return -1;
    }

    private static Segment segmentFor(Segment[] directory, int hash) {
      int bits = Integer.numberOfTrailingZeros(directory.length);
      return directory[bits == 0 ? 0 : hash >>> (32 - bits)];
    }

    private long word(int slot, int field) {
      return words[slot >>> PAGE_BITS][(slot & PAGE_MASK) * STRIDE + field];
    }

    private void setWord(int slot, int field, long value) {
      words[slot >>> PAGE_BITS][(slot & PAGE_MASK) * STRIDE + field] = value;
    }

    private boolean holds(int slot, StoryId id) {
      String other = otherId(slot);
      return id.other == null
          ? other == null && word(slot, HIGH) == id.high && word(slot, LOW) == id.low
          : id.other.equals(other);
    }

    /** The slot's id when it is not a lower-case UUID; null when it is one. */
    private String otherId(int slot) {
      return (String) object(otherIds, slot);
    }

    private int hashOf(int slot) {
      String other = otherId(slot);
      return other == null ? StoryId.hash(word(slot, HIGH), word(slot, LOW)) : StoryId.hash(other);
    }

    String idOf(int slot) {
      String other = otherId(slot);
      return other != null ? other : StoryId.text(word(slot, HIGH), word(slot, LOW));
    }

    private int sharedOf(int slot) {
      return (int) word(slot, NANOS_AND_SHARED);
    }

    private int nanosOf(int slot) {
      return (int) (word(slot, NANOS_AND_SHARED) >>> 32);
    }

    /** The story in {@code slot}; {@code id} is its id when the caller has it, else null. */
    Story story(int slot, String id) {
      Generation g = shared[sharedOf(slot)];
      Extra extra = (Extra) object(extras, slot);
      StoryRequest request =
          extra != null && extra.request() != null ? extra.request() : g.requestFor(owner);
      Timings timings =
          extra != null && extra.timings() != null
              ? extra.timings()
              : new Timings(
                  Duration.ofNanos(word(slot, TOTAL)), Duration.ofNanos(word(slot, MODEL)));
      return new Story(
          id != null ? id : idOf(slot),
          owner,
          g.title(),
          g.paragraphs(),
          request,
          g.model(),
          g.templateVersion(),
          g.usage(),
          g.estimatedCostUsd(),
          g.quality(),
          g.safety(),
          timings,
          TIERS[(int) word(slot, TIER)],
          g.attempts(),
          Instant.ofEpochSecond(word(slot, SECONDS), nanosOf(slot)));
    }

    /** Stores {@code s} in a free slot, indexed and in time order. */
    void add(Story s) {
      int slot = freeSlots.isEmpty() ? newSlot() : freeSlots.pop();
      StoryId id = new StoryId(s.id());
      setWord(slot, HIGH, id.high);
      setWord(slot, LOW, id.low);
      if (id.other != null) {
        otherIds = setObject(otherIds, slot, id.other);
      }
      Instant at = s.createdAt();
      setWord(slot, SECONDS, at.getEpochSecond());
      int g = generationOf(s);
      sharedBy[g]++;
      setWord(slot, NANOS_AND_SHARED, (long) at.getNano() << 32 | (g & 0xFFFF_FFFFL));
      setWord(slot, TIER, s.cacheTier().ordinal());
      StoryRequest request = shared[g].sameRequest(s.request(), owner) ? null : s.request();
      Timings t = s.timings();
      Timings keptTimings = null;
      try {
        setWord(slot, TOTAL, t.total().toNanos());
        setWord(slot, MODEL, t.model().toNanos());
      } catch (ArithmeticException tooLong) {
        keptTimings = t; // centuries: kept as they are
      }
      if (request != null || keptTimings != null) {
        extras = setObject(extras, slot, new Extra(request, keptTimings));
      }
      insertInOrder(slot);
      indexSlot(slot, id.hash());
    }

    /** Removes the story in {@code slot} from the order and the index and frees the slot. */
    void remove(int slot) {
      int at = positionOf(slot);
      if (at >= 0) {
        System.arraycopy(ordered, at + 1, ordered, at, count - at - 1);
        count--;
      }
      unindexSlot(slot);
      if (object(otherIds, slot) != null) {
        setObject(otherIds, slot, null);
      }
      if (object(extras, slot) != null) {
        setObject(extras, slot, null);
      }
      int g = sharedOf(slot);
      if (--sharedBy[g] == 0 && g != lastShared) {
        releaseShared(g);
      }
      freeSlots.push(slot);
    }

    private int newSlot() {
      int slot = slotsUsed;
      int page = slot >>> PAGE_BITS;
      if (page == words.length) {
        words = Arrays.copyOf(words, page + 1);
        words[page] = new long[PAGE_SLOTS * STRIDE];
      } else if ((slot & PAGE_MASK) * STRIDE == words[page].length) {
        words[page] = Arrays.copyOf(words[page], words[page].length * 2); // the first page only
      }
      return slotsUsed++;
    }

    private static Object object(Object[][] pages, int slot) {
      int page = slot >>> PAGE_BITS;
      if (pages == null || page >= pages.length || pages[page] == null) {
        return null;
      }
      int at = slot & PAGE_MASK;
      return at < pages[page].length ? pages[page][at] : null;
    }

    /** Sets a slot's object, making or growing its page to the size of the words' page. */
    private Object[][] setObject(Object[][] pages, int slot, Object value) {
      int page = slot >>> PAGE_BITS;
      Object[][] grown = pages == null ? new Object[words.length][] : pages;
      if (grown.length < words.length) {
        grown = Arrays.copyOf(grown, words.length);
      }
      int size = words[page].length / STRIDE;
      if (grown[page] == null) {
        grown[page] = new Object[size];
      } else if (grown[page].length < size) {
        grown[page] = Arrays.copyOf(grown[page], size);
      }
      grown[page][slot & PAGE_MASK] = value;
      return grown;
    }

    /** The generation {@code s} belongs to: the last one seen if it shares it, else a new one. */
    private int generationOf(Story s) {
      if (lastShared >= 0 && shared[lastShared].sharedBy(s)) {
        return lastShared;
      }
      int g;
      if (freeShared.isEmpty()) {
        if (sharedUsed == shared.length) {
          shared = Arrays.copyOf(shared, sharedUsed * 2);
          sharedBy = Arrays.copyOf(sharedBy, sharedUsed * 2);
        }
        g = sharedUsed++;
      } else {
        g = freeShared.pop();
      }
      shared[g] = Generation.of(s);
      sharedBy[g] = 0;
      int previous = lastShared;
      lastShared = g;
      if (previous >= 0 && sharedBy[previous] == 0) {
        releaseShared(previous);
      }
      return g;
    }

    private void releaseShared(int g) {
      shared[g] = null;
      freeShared.push(g);
    }

    private void insertInOrder(int slot) {
      int at = count;
      Place place = placeOf(slot);
      if (at > 0 && compare(ordered[at - 1], place) > 0) {
        // Older than the newest: saved out of time order, as concurrent requests may be.
        at = -search(place) - 1;
      }
      if (count == ordered.length) {
        ordered = Arrays.copyOf(ordered, count * 2);
      }
      System.arraycopy(ordered, at, ordered, at + 1, count - at);
      ordered[at] = slot;
      count++;
    }

    /** Where {@code slot} is in {@code ordered}, or -1. */
    private int positionOf(int slot) {
      int at = search(placeOf(slot));
      return at >= 0 && ordered[at] == slot ? at : -1;
    }

    /** The index of the newest story older than {@code place}, or -1. */
    int indexBefore(Place place) {
      int at = search(place);
      return at >= 0 ? at - 1 : -at - 2;
    }

    /**
     * Binary search of {@code ordered}: the position of {@code place}, or -(insertion point) - 1.
     */
    private int search(Place place) {
      int low = 0;
      int high = count - 1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        int c = compare(ordered[mid], place);
        if (c < 0) {
          low = mid + 1;
        } else if (c > 0) {
          high = mid - 1;
        } else {
          return mid;
        }
      }
      return -(low + 1);
    }

    private Place placeOf(int slot) {
      String other = otherId(slot);
      StoryId id =
          other != null ? new StoryId(other) : new StoryId(word(slot, HIGH), word(slot, LOW));
      return new Place(word(slot, SECONDS), nanosOf(slot), id);
    }

    /** Oldest first, equal times by id (as text: a UUID's bits compare as its text does). */
    private int compare(int slot, Place place) {
      int c = Long.compare(word(slot, SECONDS), place.seconds());
      if (c == 0) {
        c = Integer.compare(nanosOf(slot), place.nanos());
      }
      if (c != 0) {
        return c;
      }
      String other = otherId(slot);
      StoryId id = place.id();
      if (other == null && id.other == null) {
        c = Long.compareUnsigned(word(slot, HIGH), id.high);
        return c != 0 ? c : Long.compareUnsigned(word(slot, LOW), id.low);
      }
      String mine = other != null ? other : StoryId.text(word(slot, HIGH), word(slot, LOW));
      return mine.compareTo(id.other != null ? id.other : StoryId.text(id.high, id.low));
    }

    String cursorAt(int slot) {
      String raw = word(slot, SECONDS) + ":" + nanosOf(slot) + ":" + idOf(slot);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private void indexSlot(int slot, int hash) {
      while (true) {
        Segment segment = segmentFor(directory, hash);
        if ((segment.count + 1) * 2 <= segment.cells.length) {
          place(segment.cells, slot, hash);
          segment.count++;
          return;
        }
        int bits = Integer.numberOfTrailingZeros(directory.length);
        if (segment.cells.length < SEGMENT_CELLS
            || (segment.depth == bits && bits == MAX_DIRECTORY_BITS)) {
          int[] cells = new int[segment.cells.length * 2];
          for (int cell : segment.cells) {
            if (cell != 0) {
              place(cells, cell - 1, hashOf(cell - 1));
            }
          }
          segment.cells = cells;
        } else {
          split(segment);
        }
      }
    }

    /**
     * Splits a full segment in two by the next bit of its ids' hashes, doubling the directory when
     * the segment used all of its bits. Readers keep the directory and segments they hold.
     */
    private void split(Segment full) {
      int depth = full.depth + 1;
      Segment zero = new Segment(depth, full.cells.length);
      Segment one = new Segment(depth, full.cells.length);
      for (int cell : full.cells) {
        if (cell != 0) {
          int hash = hashOf(cell - 1);
          Segment to = (hash >>> (32 - depth) & 1) == 0 ? zero : one;
          place(to.cells, cell - 1, hash);
          to.count++;
        }
      }
      Segment[] old = directory;
      int bits = Integer.numberOfTrailingZeros(old.length);
      Segment[] next;
      if (depth > bits) {
        next = new Segment[old.length * 2];
        for (int i = 0; i < next.length; i++) {
          next[i] = old[i >>> 1];
        }
        bits++;
      } else {
        next = old.clone();
      }
      for (int i = 0; i < next.length; i++) {
        if (next[i] == full) {
          next[i] = (i >>> (bits - depth) & 1) == 0 ? zero : one;
        }
      }
      directory = next;
    }

    private static void place(int[] cells, int slot, int hash) {
      int mask = cells.length - 1;
      int at = hash & mask;
      while (cells[at] != 0) {
        at = (at + 1) & mask;
      }
      cells[at] = slot + 1;
    }

    /** Removes {@code slot} from the index, moving later cells of its run back (no tombstones). */
    private void unindexSlot(int slot) {
      int hash = hashOf(slot);
      Segment segment = segmentFor(directory, hash);
      int[] cells = segment.cells;
      int mask = cells.length - 1;
      int hole = hash & mask;
      while (cells[hole] != slot + 1) {
        if (cells[hole] == 0) {
          return;
        }
        hole = (hole + 1) & mask;
      }
      for (int at = (hole + 1) & mask; cells[at] != 0; at = (at + 1) & mask) {
        int home = hashOf(cells[at] - 1) & mask;
        // The cell stays if its home lies cyclically within (hole, at]; else it fills the hole.
        boolean stays = hole <= at ? hole < home && home <= at : hole < home || home <= at;
        if (!stays) {
          cells[hole] = cells[at];
          hole = at;
        }
      }
      cells[hole] = 0;
      segment.count--;
    }
  }

  /** A table of the id index: the ids whose hashes begin with the same {@code depth} bits. */
  private static final class Segment {
    final int depth;
    int[] cells;
    int count;

    Segment(int depth, int cells) {
      this.depth = depth;
      this.cells = new int[cells];
    }
  }

  /** A stack of ints: free slots. */
  private static final class IntStack {
    private int[] items = new int[4];
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    void push(int value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    int pop() {
      return items[--size];
    }
  }
}
