package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link StoryStore} in process memory, for development, tests and single-node embedding.
 * Bounded: saving beyond the capacity fails with a {@link StoryMagicException.StorageFailure}
 * rather than growing without limit. Everything is lost when the process ends.
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
    Owner o = owners.computeIfAbsent(owner, k -> new Owner());
    synchronized (o) {
      Optional<String> key = story.request().idempotencyKey();
      if (key.isPresent()) {
        String existing = o.idempotency.get(key.get());
        if (existing != null && o.byId.containsKey(existing)) {
          return o.byId.get(existing);
        }
      }
      if (size.incrementAndGet() > capacity) {
        size.decrementAndGet();
        throw new StoryMagicException.StorageFailure(
            "in-memory store is full (" + capacity + " stories)", null);
      }
      Story previous = o.byId.put(story.id(), story);
      if (previous != null) {
        o.ordered.remove(new Key(previous.createdAt(), previous.id()));
        size.decrementAndGet();
      }
      o.ordered.put(new Key(story.createdAt(), story.id()), story);
      key.ifPresent(k -> o.idempotency.put(k, story.id()));
      return story;
    }
  }

  @Override
  public Optional<Story> find(String owner, String id) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    return o == null ? Optional.empty() : Optional.ofNullable(o.byId.get(id));
  }

  @Override
  public Optional<Story> findByIdempotencyKey(String owner, String idempotencyKey) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return Optional.empty();
    }
    String id = o.idempotency.get(idempotencyKey);
    return id == null ? Optional.empty() : Optional.ofNullable(o.byId.get(id));
  }

  @Override
  public StoryPage list(String owner, Optional<String> cursor, int limit) {
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be within 1..100: " + limit);
    }
    Optional<Key> after = cursor.map(InMemoryStoryStore::decode);
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return new StoryPage(List.of(), Optional.empty());
    }
    NavigableMap<Key, Story> view =
        after.isPresent() ? o.ordered.tailMap(after.get(), false) : o.ordered;
    List<Story> page = new ArrayList<>(limit);
    Key last = null;
    for (Map.Entry<Key, Story> e : view.entrySet()) {
      if (page.size() == limit) {
        break;
      }
      page.add(e.getValue());
      last = e.getKey();
    }
    boolean more = last != null && o.ordered.higherKey(last) != null && page.size() == limit;
    return new StoryPage(page, more ? Optional.of(encode(last)) : Optional.empty());
  }

  @Override
  public boolean delete(String owner, String id) {
    Owner o = owners.get(requireNonNull(owner, "owner"));
    if (o == null) {
      return false;
    }
    synchronized (o) {
      Story removed = o.byId.remove(id);
      if (removed == null) {
        return false;
      }
      o.ordered.remove(new Key(removed.createdAt(), removed.id()));
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
    return new OwnerExport(
        owner, new ArrayList<>(o.ordered.values()), List.copyOf(o.blocked), clock.instant());
  }

  @Override
  public void recordBlocked(BlockedRequest blocked) {
    blocked
        .owner()
        .ifPresent(
            owner -> {
              Owner o = owners.computeIfAbsent(owner, k -> new Owner());
              // Audit rows are bounded per owner too: the oldest go first.
              if (o.blocked.size() >= 1_000) {
                o.blocked.remove(0);
              }
              o.blocked.add(blocked);
            });
  }

  private static String encode(Key key) {
    Instant createdAt = key.createdAt();
    String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + key.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static Key decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 3);
      return new Key(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
  }

  /**
   * A story's place in its owner's list: newest first, ties by id, descending. Its own {@code
   * compareTo}, not a composed {@code Comparator}: the skip list compares some twenty keys per
   * insert, so the comparison is one direct call.
   */
  private record Key(Instant createdAt, String id) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byTime = other.createdAt.compareTo(createdAt);
      return byTime != 0 ? byTime : other.id.compareTo(id);
    }
  }

  private static final class Owner {
    final Map<String, Story> byId = new ConcurrentHashMap<>();
    final ConcurrentSkipListMap<Key, Story> ordered = new ConcurrentSkipListMap<>();
    final Map<String, String> idempotency = new ConcurrentHashMap<>();
    final List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();
  }
}
