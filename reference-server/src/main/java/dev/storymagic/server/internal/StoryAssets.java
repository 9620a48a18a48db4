package dev.storymagic.server.internal;

import static java.util.Objects.requireNonNull;

import dev.storymagic.Story;
import dev.storymagic.StoryAsset;
import dev.storymagic.spi.AssetStore;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.spi.Illustrator;
import dev.storymagic.spi.Narrator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and keeps the pictures and recordings of stories, off the request threads: a bounded pool
 * and queue, so a burst of illustrated stories waits or is refused with 503 rather than piling up.
 * Assets already made for the same story content, model and prompt version are reused, not made
 * again.
 */
public final class StoryAssets implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoryAssets.class);
  private static final int WORKERS = 4;
  private static final int QUEUE = 256;

  private final AssetStore store;
  private final Illustrator illustrator;
  private final Optional<Narrator> narrator;
  private final int maxScenes;
  private final ThreadPoolExecutor pool;

  public StoryAssets(
      AssetStore store, Illustrator illustrator, Optional<Narrator> narrator, int maxScenes) {
    this.store = requireNonNull(store, "store");
    this.illustrator = requireNonNull(illustrator, "illustrator");
    this.narrator = requireNonNull(narrator, "narrator");
    this.maxScenes = maxScenes;
    this.pool =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "story-assets");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  public AssetStore store() {
    return store;
  }

  /** Whether recordings can be made here (a speech model is configured). */
  public boolean canNarrate() {
    return narrator.isPresent();
  }

  /**
   * The cover and scene pictures of an owner's story; each is handed to {@code onAsset} once
   * stored.
   */
  public CompletableFuture<List<StoryAsset>> illustrate(
      String owner, Story story, Consumer<StoryAsset> onAsset) {
    String key =
        AssetStore.cacheKey(
            "illustrations",
            illustrator.model(),
            illustrator.promptVersion(),
            story,
            "scenes=" + maxScenes);
    return submit(owner, story, key, () -> illustrator.illustrate(story, maxScenes), onAsset);
  }

  /**
   * The story read aloud; fails with {@link IllegalStateException} when no speech model is
   * configured.
   */
  public CompletableFuture<List<StoryAsset>> narrate(
      String owner, Story story, Consumer<StoryAsset> onAsset) {
    Narrator n =
        narrator.orElseThrow(() -> new IllegalStateException("no speech model is configured"));
    String key = AssetStore.cacheKey("narration", n.model(), n.promptVersion(), story, "");
    return submit(owner, story, key, () -> n.narrate(story), onAsset);
  }

  private CompletableFuture<List<StoryAsset>> submit(
      String owner,
      Story story,
      String cacheKey,
      java.util.function.Supplier<List<GeneratedAsset>> make,
      Consumer<StoryAsset> onAsset) {
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            List<StoryAsset> assets =
                store
                    .reuse(owner, story.id(), cacheKey)
                    .orElseGet(() -> store.save(owner, story.id(), cacheKey, make.get()));
            for (StoryAsset a : assets) {
              onAsset.accept(a);
            }
            return assets;
          },
          pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new ApiException(
              ApiError.of(
                      503,
                      "assets_busy",
                      "too many pictures and recordings are being made; retry shortly")
                  .withRetryAfter(java.time.Duration.ofSeconds(5))));
    }
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("story assets still being made at shutdown were abandoned");
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
    store.close();
  }
}
