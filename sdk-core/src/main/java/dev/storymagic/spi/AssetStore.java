package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import dev.storymagic.Story;
import dev.storymagic.StoryAsset;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.internal.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The pictures and recordings of stories: immutable, content-addressed files ({@code
 * stories/<sha256>.<ext>}) kept in an {@link AssetStorage}, with a private index of which owner's
 * story uses which file.
 *
 * <p>Layout in the storage: the files themselves under {@value #PUBLIC_PREFIX} (what a CDN serves:
 * {@code assets/stories/<sha256>.svg} is {@code /assets/stories/<sha256>.svg}); the index under
 * {@value #INDEX_PREFIX}, never served: one object per story listing its assets, one reference
 * marker per (file, story), and one cache entry per {@link #cacheKey cache key}. Owners appear
 * there only as a SHA-256 digest.
 *
 * <p>Two stories may share a file (the same cached story delivered to two owners draws the same
 * pictures): a file is deleted when the last story referencing it is deleted, so erasing one owner
 * never breaks another's pictures. {@link #open} serves only files some story still references.
 *
 * <p>Reading a story lists its assets, so {@link #list(String, String)} keeps each story's index in
 * memory (at most {@value #INDEX_CACHE_SIZE} stories) instead of reading the storage on every read:
 * writes through this store update it at once, and an entry is read again after {@link
 * #INDEX_FRESHNESS}, so assets another instance of the service added show within that time.
 */
public final class AssetStore implements AutoCloseable {
  /** Where the served files live in the storage. */
  public static final String PUBLIC_PREFIX = "assets/";

  /** Where the private index lives in the storage. */
  public static final String INDEX_PREFIX = "asset-index/";

  private static final String OWNERS = INDEX_PREFIX + "owners/";
  private static final String REFS = INDEX_PREFIX + "refs/";
  private static final String CACHE = INDEX_PREFIX + "cache/";
  private static final Pattern CACHE_KEY = Pattern.compile("[0-9a-f]{64}");

  /** How long a story's index, once read, is served from memory. */
  public static final Duration INDEX_FRESHNESS = Duration.ofSeconds(5);

  /** How many stories' indexes are kept in memory. */
  public static final int INDEX_CACHE_SIZE = 10_000;

  private final AssetStorage storage;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  // Story index key -> that story's assets (empty when it has none: most stories).
  private final Cache<String, List<StoryAsset>> indexes;

  private AssetStore(AssetStorage storage, Clock clock) {
    this.storage = requireNonNull(storage, "storage");
    this.clock = requireNonNull(clock, "clock");
    // Freshness follows the store's clock, so a test's clock moves it too.
    this.indexes =
        Caffeine.newBuilder()
            .maximumSize(INDEX_CACHE_SIZE)
            .expireAfterWrite(INDEX_FRESHNESS)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .build();
  }

  /** A store over {@code storage}; closing the store closes the storage. */
  public static AssetStore create(AssetStorage storage) {
    return new AssetStore(storage, Clock.systemUTC());
  }

  /** A store over {@code storage} that dates assets with {@code clock}. */
  public static AssetStore create(AssetStorage storage, Clock clock) {
    return new AssetStore(storage, clock);
  }

  /** The storage underneath, for logs and health. */
  public AssetStorage storage() {
    return storage;
  }

  /**
   * The cache key of one set of assets: a SHA-256 of what they are made from (the story's title,
   * text, theme, age group, setting and characters), the model, the prompt version and the request
   * detail (such as the number of scenes). A new model or prompt version never reuses old assets.
   */
  public static String cacheKey(
      String purpose, String model, String promptVersion, Story story, String detail) {
    StringBuilder b =
        new StringBuilder(4096)
            .append("asset-v1\n")
            .append(purpose)
            .append('\n')
            .append(model)
            .append('\n')
            .append(promptVersion)
            .append('\n')
            .append(detail)
            .append('\n');
    StoryRequest r = story.request();
    b.append(r.theme())
        .append('\n')
        .append(r.ageGroup().label())
        .append('\n')
        .append(r.language())
        .append('\n')
        .append(r.setting().orElse(""))
        .append('\n');
    for (StoryCharacter c : r.characters()) {
      b.append(c.name()).append('\u001f').append(c.description()).append('\n');
    }
    b.append(story.title()).append('\n');
    for (String p : story.paragraphs()) {
      b.append(p).append('\n');
    }
    return sha256(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Stores freshly made assets for an owner's story and remembers them under {@code cacheKey}.
   * Storing the same bytes again writes the same key: files are immutable.
   *
   * @return the stored assets, in the given order
   */
  public List<StoryAsset> save(
      String owner, String storyId, String cacheKey, List<GeneratedAsset> assets) {
    checkOwner(owner);
    checkStoryId(storyId);
    checkCacheKey(cacheKey);
    List<StoryAsset> stored = new ArrayList<>(assets.size());
    Instant now = clock.instant();
    for (GeneratedAsset a : assets) {
      byte[] bytes = a.bytes();
      String key = "stories/" + sha256(bytes) + "." + a.type().extension();
      // The reference first, then the file: an erasure running at the same time either sees this
      // reference and keeps the file, or has deleted it before this put writes it again.
      storage.put(
          REFS + key + "/" + ownerDigest(owner) + "." + storyId,
          new byte[] {'1'},
          "text/plain",
          false);
      storage.put(PUBLIC_PREFIX + key, bytes, a.type().contentType(), true);
      stored.add(
          new StoryAsset(
              key,
              storyId,
              a.kind(),
              a.index(),
              a.type(),
              bytes.length,
              a.altText(),
              a.model(),
              now));
    }
    writeStoryIndex(owner, storyId, stored);
    writeIndex(CACHE + cacheKey + ".json", stored);
    return List.copyOf(stored);
  }

  /**
   * The assets stored earlier under {@code cacheKey}, now also referenced by this owner's story;
   * empty when there are none or one of their files is gone (then make them again and {@link
   * #save}).
   */
  public Optional<List<StoryAsset>> reuse(String owner, String storyId, String cacheKey) {
    checkOwner(owner);
    checkStoryId(storyId);
    checkCacheKey(cacheKey);
    Optional<List<StoryAsset>> cached = readIndex(CACHE + cacheKey + ".json");
    if (cached.isEmpty() || cached.get().isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    List<StoryAsset> mine = new ArrayList<>();
    for (StoryAsset a : cached.get()) {
      storage.put(
          REFS + a.key() + "/" + ownerDigest(owner) + "." + storyId,
          new byte[] {'1'},
          "text/plain",
          false);
      mine.add(
          new StoryAsset(
              a.key(),
              storyId,
              a.kind(),
              a.index(),
              a.type(),
              a.size(),
              a.altText(),
              a.model(),
              now));
    }
    for (StoryAsset a : mine) {
      if (!storage.exists(PUBLIC_PREFIX + a.key())) {
        for (StoryAsset undo : mine) {
          storage.delete(REFS + undo.key() + "/" + ownerDigest(owner) + "." + storyId);
        }
        return Optional.empty();
      }
    }
    writeStoryIndex(owner, storyId, mine);
    return Optional.of(List.copyOf(mine));
  }

  /**
   * An asset's type and bytes, when {@code key} is a well-formed key that some story references.
   */
  public Optional<Body> open(String key) {
    if (key == null || !StoryAsset.KEY.matcher(key).matches()) {
      return Optional.empty();
    }
    if (storage.list(REFS + key + "/").isEmpty()) {
      return Optional.empty();
    }
    AssetType type = AssetType.fromExtension(key.substring(key.lastIndexOf('.') + 1)).orElseThrow();
    return storage.get(PUBLIC_PREFIX + key).map(bytes -> new Body(type, bytes));
  }

  /** The assets of one of the owner's stories, cover first, then scenes, then narration. */
  public List<StoryAsset> list(String owner, String storyId) {
    checkOwner(owner);
    checkStoryId(storyId);
    return indexes.get(storyIndexKey(owner, storyId), key -> readIndex(key).orElse(List.of()));
  }

  /** Every asset of the owner's stories (for a data-access request). */
  public List<StoryAsset> list(String owner) {
    checkOwner(owner);
    List<StoryAsset> all = new ArrayList<>();
    for (String key : storage.list(OWNERS + ownerDigest(owner) + "/")) {
      readIndex(key).ifPresent(all::addAll);
    }
    all.sort(Comparator.comparing(StoryAsset::storyId).thenComparing(ORDER));
    return all;
  }

  /**
   * Forgets one story's assets, deleting files no other story uses. Returns how many files were
   * deleted.
   */
  public int deleteStory(String owner, String storyId) {
    checkOwner(owner);
    checkStoryId(storyId);
    return forget(owner, storyIndexKey(owner, storyId));
  }

  /** Forgets every asset of the owner (GDPR erasure). Returns how many files were deleted. */
  public int deleteOwner(String owner) {
    checkOwner(owner);
    int deleted = 0;
    for (String index : storage.list(OWNERS + ownerDigest(owner) + "/")) {
      deleted += forget(owner, index);
    }
    return deleted;
  }

  private int forget(String owner, String indexKey) {
    List<StoryAsset> assets = readIndex(indexKey).orElse(List.of());
    int deleted = 0;
    for (StoryAsset a : assets) {
      storage.delete(REFS + a.key() + "/" + ownerDigest(owner) + "." + a.storyId());
      if (storage.list(REFS + a.key() + "/").isEmpty() && storage.exists(PUBLIC_PREFIX + a.key())) {
        storage.delete(PUBLIC_PREFIX + a.key());
        deleted++;
      }
    }
    storage.delete(indexKey);
    indexes.invalidate(indexKey);
    return deleted;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      throw new StoryMagicException.StorageFailure(
          "closing the asset storage failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "AssetStore[" + storage.describe() + "]";
  }

  /** A file's type and content. */
  @SuppressWarnings("ArrayRecordComponent") // the bytes are copied in and out
  public record Body(AssetType type, byte[] bytes) {
    public Body {
      requireNonNull(type, "type");
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }

  // ------------------------------------------------------------------ index

  private static final Comparator<StoryAsset> ORDER =
      Comparator.comparing(StoryAsset::kind).thenComparingInt(StoryAsset::index);

  private static List<StoryAsset> merge(List<StoryAsset> existing, List<StoryAsset> added) {
    Map<String, StoryAsset> byPlace = new LinkedHashMap<>();
    for (StoryAsset a : existing) {
      byPlace.put(a.kind() + "/" + a.index(), a);
    }
    for (StoryAsset a : added) {
      byPlace.put(a.kind() + "/" + a.index(), a);
    }
    List<StoryAsset> all = new ArrayList<>(byPlace.values());
    all.sort(ORDER);
    return all;
  }

  private static String storyIndexKey(String owner, String storyId) {
    return OWNERS + ownerDigest(owner) + "/" + storyId + ".json";
  }

  /**
   * Adds assets to a story's index. The index is read from the storage, not from memory: merging
   * into a copy that another instance has since changed would drop what it added.
   */
  private void writeStoryIndex(String owner, String storyId, List<StoryAsset> added) {
    String key = storyIndexKey(owner, storyId);
    List<StoryAsset> all = merge(readIndex(key).orElse(List.of()), added);
    writeIndex(key, all);
    indexes.put(key, List.copyOf(all));
  }

  private void writeIndex(String key, List<StoryAsset> assets) {
    ArrayNode array = json.createArrayNode();
    for (StoryAsset a : assets) {
      ObjectNode o = array.addObject();
      o.put("key", a.key())
          .put("storyId", a.storyId())
          .put("kind", a.kind().name())
          .put("index", a.index())
          .put("type", a.type().name())
          .put("size", a.size())
          .put("altText", a.altText())
          .put("model", a.model())
          .put("createdAt", a.createdAt().toString());
    }
    try {
      storage.put(key, json.writeValueAsBytes(array), "application/json", false);
    } catch (IOException e) {
      throw new StoryMagicException.StorageFailure(
          "writing the asset index failed: " + e.getMessage(), e);
    }
  }

  private Optional<List<StoryAsset>> readIndex(String key) {
    Optional<byte[]> bytes = storage.get(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<StoryAsset> assets = new ArrayList<>();
      for (JsonNode o : json.readTree(bytes.get())) {
        assets.add(
            new StoryAsset(
                o.path("key").asText(),
                o.path("storyId").asText(),
                AssetKind.valueOf(o.path("kind").asText()),
                o.path("index").asInt(),
                AssetType.valueOf(o.path("type").asText()),
                o.path("size").asLong(),
                o.path("altText").asText(),
                o.path("model").asText(),
                Instant.parse(o.path("createdAt").asText())));
      }
      return Optional.of(List.copyOf(assets));
    } catch (IOException | RuntimeException e) {
      throw new StoryMagicException.StorageFailure(
          "the asset index object " + key + " cannot be read: " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ checks

  private static void checkOwner(String owner) {
    requireNonNull(owner, "owner");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("owner cannot be blank");
    }
  }

  private static void checkStoryId(String storyId) {
    requireNonNull(storyId, "storyId");
    if (!isStoryId(storyId)) {
      throw new IllegalArgumentException("not a story id: " + storyId);
    }
  }

  /** 1 to 64 of A-Z, a-z, 0-9, '_' and '-': checked on every read, so without a regex. */
  private static boolean isStoryId(String storyId) {
    int n = storyId.length();
    if (n == 0 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = storyId.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      boolean digit = c >= '0' && c <= '9';
      if (!letter && !digit && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static void checkCacheKey(String cacheKey) {
    requireNonNull(cacheKey, "cacheKey");
    if (!CACHE_KEY.matcher(cacheKey).matches()) {
      throw new IllegalArgumentException("a cache key is 64 lower-case hex digits: " + cacheKey);
    }
  }

  static String ownerDigest(String owner) {
    return sha256(("owner:" + owner).getBytes(StandardCharsets.UTF_8)).substring(0, 40);
  }

  static String sha256(byte[] bytes) {
    return Hashing.sha256Hex(bytes);
  }
}
