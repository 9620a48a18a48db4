package dev.storymagic;

import static java.util.Objects.requireNonNull;

import dev.storymagic.internal.StoryPipeline;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.GenerationLock;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.PromptTemplates;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryMagicPlugin;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.spi.StoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Generates safe, age-appropriate children's stories. The one entry point of the library: build it
 * once with {@link #builder()}, share it across threads, and {@link #close()} it on shutdown.
 *
 * <pre>{@code
 * StoryMagic magic = StoryMagic.builder().build();   // offline engine, in-process cache
 * Story story = magic.generate(StoryRequest.builder()
 *     .theme("space").ageGroup(AgeGroup.AGES_6_8)
 *     .character("Mia", "a curious girl who loves stars")
 *     .build());
 * }</pre>
 *
 * <p>Every request passes, in order: validation, the rate limit, the input safety check, the cache,
 * single-flight (identical concurrent requests share one generation), prompt rendering, the model
 * (behind a time limit, retries, a circuit breaker and a bulkhead), the output safety check
 * (regenerating with stricter instructions on a violation), quality checks, the store and the
 * cache.
 */
public final class StoryMagic implements AutoCloseable {
  private final StoryPipeline pipeline;

  private StoryMagic(Builder builder) {
    this.pipeline = new StoryPipeline(builder.config());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Generates a story, or serves it from the cache, blocking until it is ready.
   *
   * @throws StoryMagicException.InvalidRequest if fields are bad (all of them are listed)
   * @throws StoryMagicException.RateLimited if the owner is over their rate limit
   * @throws StoryMagicException.UnsafeInput if the user's text fails the safety check; nothing was
   *     generated
   * @throws StoryMagicException.UnsafeOutput if every attempt produced an unsafe story; nothing
   *     unsafe is returned
   * @throws StoryMagicException.TimedOut if the model did not answer within the time limit
   * @throws StoryMagicException.ModelUnavailable if the model failed transiently after retries, or
   *     the circuit is open
   * @throws StoryMagicException.ModelFailure if the model failed permanently (credentials, bad
   *     request, ...)
   * @throws StoryMagicException.StorageFailure if the story could not be stored
   */
  public Story generate(StoryRequest request) {
    return pipeline.generate(request);
  }

  /**
   * Like {@link #generate} on a bounded pool of this instance; the future fails with the same
   * exceptions. Cancelling the future stops waiting but lets a shared generation finish for others.
   */
  public CompletableFuture<Story> generateAsync(StoryRequest request) {
    return pipeline.generateAsync(request);
  }

  /**
   * Generates a story and streams it to {@code listener} sentence by sentence, each sentence
   * released only after it passed the incremental safety filters; runs on this instance's pool and
   * returns at once. The listener always ends with exactly one {@code onComplete} or {@code
   * onError}.
   *
   * @return a future completing with the story, or failing with the error given to the listener
   */
  public CompletableFuture<Story> stream(StoryRequest request, StoryListener listener) {
    return pipeline.stream(request, listener);
  }

  /** Checks a request without generating: every field error, empty when the request is valid. */
  public List<FieldError> validate(StoryRequest request) {
    return pipeline.validate(request);
  }

  /** The theme catalog requests are validated against. */
  public ThemeCatalog themes() {
    return pipeline.config().themes();
  }

  /** The store stories are kept in, if one was configured. */
  public Optional<StoryStore> store() {
    return pipeline.config().store();
  }

  /** The health of the model, the cache tiers and the store, by component name. */
  public java.util.Map<String, ComponentHealth> health() {
    return pipeline.health();
  }

  /**
   * Finishes in-flight generations (up to the attempt timeout), releases the pools, and closes what
   * was handed to the builder: the model, the safety filters, the cache, the store, the generation
   * lock and the rate limiter, each that is {@link AutoCloseable}, once. The instance owns what its
   * builder was given: give two instances their own components (for a model, a variant from {@code
   * OpenAiStoryModel.newBuilder()}, which shares the connection pool until the last variant
   * closes). Idempotent.
   */
  @Override
  public void close() {
    pipeline.close();
  }

  /**
   * Builds {@link StoryMagic}. Every option has a default: the {@link OfflineStoryModel}, a
   * Caffeine cache of 10,000 stories, no store, the default safety filter and policy, the default
   * templates and resilience settings, and no metrics. Setting an option twice is an error.
   */
  /**
   * Default maximum of generations in flight through {@link #generateAsync} and {@link #stream}:
   * 4,096.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4_096;

  public static final class Builder {
    private StoryModel model;
    private StoryCache cache;
    private StoryStore store;
    private final List<SafetyFilter> safetyFilters = new ArrayList<>();
    private SafetyPolicy safetyPolicy;
    private PromptTemplates templates;
    private ThemeCatalog themes;
    private ResilienceSettings resilience;
    private QualityPolicy qualityPolicy;
    private MeterRegistry meterRegistry;
    private GenerationLock generationLock;
    private StoryRateLimiter rateLimiter;
    private Clock clock;
    private Integer maxInFlight;
    private boolean auditText;
    private boolean safetyFiltersSet;
    private io.opentelemetry.api.OpenTelemetry openTelemetry;

    private Builder() {}

    /** The model that writes stories. Default {@link OfflineStoryModel#create()}. */
    public Builder model(StoryModel model) {
      this.model = once(this.model, requireNonNull(model, "model"), "model");
      return this;
    }

    /**
     * The cache, possibly {@link StoryCache#tiered tiered}. Default a Caffeine cache of 10,000
     * stories.
     */
    public Builder cache(StoryCache cache) {
      this.cache = once(this.cache, requireNonNull(cache, "cache"), "cache");
      return this;
    }

    /**
     * Where stories are kept; stories are stored only for requests that name an owner. Default
     * none.
     */
    public Builder store(StoryStore store) {
      this.store = once(this.store, requireNonNull(store, "store"), "store");
      return this;
    }

    /**
     * Replaces the safety filters (default: the built-in local classifier). Filters run in order on
     * the input and on the output; add a remote moderation filter after the local one.
     */
    public Builder safety(SafetyFilter... filters) {
      if (safetyFiltersSet) {
        throw new IllegalStateException("safety filters were already set");
      }
      if (filters.length == 0) {
        throw new IllegalArgumentException(
            "at least one safety filter is required; use SafetyFilter.passThrough() to disable filtering");
      }
      for (SafetyFilter f : filters) {
        safetyFilters.add(requireNonNull(f, "filter"));
      }
      safetyFiltersSet = true;
      return this;
    }

    /** Adds a filter after the configured (or default) ones, such as a remote moderation filter. */
    public Builder moderation(SafetyFilter filter) {
      if (!safetyFiltersSet) {
        safetyFilters.add(dev.storymagic.internal.DefaultSafety.defaultFilter());
        safetyFiltersSet = true;
      }
      safetyFilters.add(requireNonNull(filter, "filter"));
      return this;
    }

    /** Which findings block, per age group. Default {@link SafetyPolicy#defaults()}. */
    public Builder safetyPolicy(SafetyPolicy policy) {
      this.safetyPolicy = once(this.safetyPolicy, requireNonNull(policy, "policy"), "safetyPolicy");
      return this;
    }

    /** The prompt templates. Default {@link PromptTemplates#defaults()}. */
    public Builder templates(PromptTemplates templates) {
      this.templates = once(this.templates, requireNonNull(templates, "templates"), "templates");
      return this;
    }

    /** The themes requests may name. Default {@link ThemeCatalog#defaults()}. */
    public Builder themes(ThemeCatalog themes) {
      this.themes = once(this.themes, requireNonNull(themes, "themes"), "themes");
      return this;
    }

    /**
     * Time limits, retries, circuit breaker and bulkhead. Default {@link
     * ResilienceSettings#defaults()}.
     */
    public Builder resilience(ResilienceSettings settings) {
      this.resilience = once(this.resilience, requireNonNull(settings, "settings"), "resilience");
      return this;
    }

    /**
     * What to do with a story that misses a quality check. Default {@link
     * QualityPolicy#ACCEPT_WITH_FLAG}.
     */
    public Builder qualityPolicy(QualityPolicy policy) {
      this.qualityPolicy =
          once(this.qualityPolicy, requireNonNull(policy, "policy"), "qualityPolicy");
      return this;
    }

    /** Where metrics are recorded. Default none. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry =
          once(this.meterRegistry, requireNonNull(registry, "registry"), "meterRegistry");
      return this;
    }

    /**
     * Where spans go: a span per generation ({@code story.generate}) and per step that costs time
     * (safety checks, cache tiers, single-flight waits, each model attempt, the store), child of
     * the caller's current span. Only the OpenTelemetry API is used; bring your own SDK and
     * sampler. Default the global OpenTelemetry once the application has set it, no spans until
     * then.
     */
    public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      this.openTelemetry =
          once(this.openTelemetry, requireNonNull(openTelemetry, "openTelemetry"), "openTelemetry");
      return this;
    }

    /**
     * A lock shared across processes for cross-node single-flight. Default none (in-process only).
     */
    public Builder generationLock(GenerationLock lock) {
      this.generationLock =
          once(this.generationLock, requireNonNull(lock, "lock"), "generationLock");
      return this;
    }

    /** A per-owner rate limit. Default unlimited. */
    public Builder rateLimiter(StoryRateLimiter limiter) {
      this.rateLimiter = once(this.rateLimiter, requireNonNull(limiter, "limiter"), "rateLimiter");
      return this;
    }

    /** The clock for timestamps. Default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = once(this.clock, requireNonNull(clock, "clock"), "clock");
      return this;
    }

    /**
     * Maximum generations in flight through {@link #generateAsync} and {@link #stream}, 1 to
     * 100,000; beyond it they fail at once with {@link StoryMagicException.ModelUnavailable}.
     * Default {@value StoryMagic#DEFAULT_MAX_IN_FLIGHT}.
     */
    public Builder maxInFlight(int max) {
      if (max < 1 || max > 100_000) {
        throw new IllegalArgumentException("maxInFlight must be within 1..100000: " + max);
      }
      this.maxInFlight = once(this.maxInFlight, max, "maxInFlight");
      return this;
    }

    /** Keep the offending text in blocked-request audit rows. Default false: categories only. */
    public Builder auditBlockedText(boolean auditText) {
      this.auditText = auditText;
      return this;
    }

    /** Applies a plugin, such as the Redis integration of {@code storymagic-store}. */
    public Builder install(StoryMagicPlugin plugin) {
      requireNonNull(plugin, "plugin").install(this);
      return this;
    }

    public StoryMagic build() {
      return new StoryMagic(this);
    }

    StoryPipeline.Config config() {
      return new StoryPipeline.Config(
          model != null ? model : OfflineStoryModel.create(),
          cache != null ? cache : CaffeineStoryCache.create(10_000),
          Optional.ofNullable(store),
          safetyFilters.isEmpty()
              ? List.of(dev.storymagic.internal.DefaultSafety.defaultFilter())
              : List.copyOf(safetyFilters),
          safetyPolicy != null ? safetyPolicy : SafetyPolicy.defaults(),
          templates != null ? templates : PromptTemplates.defaults(),
          themes != null ? themes : ThemeCatalog.defaults(),
          resilience != null ? resilience : ResilienceSettings.defaults(),
          qualityPolicy != null ? qualityPolicy : QualityPolicy.ACCEPT_WITH_FLAG,
          meterRegistry != null ? meterRegistry : new CompositeMeterRegistry(),
          Optional.ofNullable(generationLock),
          rateLimiter != null ? rateLimiter : StoryRateLimiter.unlimited(),
          clock != null ? clock : Clock.systemUTC(),
          maxInFlight != null ? maxInFlight : DEFAULT_MAX_IN_FLIGHT,
          auditText,
          Optional.ofNullable(openTelemetry));
    }

    private static <T> T once(T current, T value, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
      return value;
    }
  }
}
