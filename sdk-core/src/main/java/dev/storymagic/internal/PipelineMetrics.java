package dev.storymagic.internal;

import dev.storymagic.CacheTier;
import dev.storymagic.SafetyCategory;
import dev.storymagic.TokenUsage;
import dev.storymagic.spi.SafetyStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The pipeline's meters, named as in the operations handbook: {@code story_generation_time}, {@code
 * story_generation_timeouts}, {@code story_cache_requests}, {@code content_safety_violations}, and
 * the OpenTelemetry GenAI client histograms.
 */
public final class PipelineMetrics {
  public static final String GENERATION_TIME = "story_generation_time";
  public static final String GENERATION_TIMEOUTS = "story_generation_timeouts";
  public static final String CACHE_REQUESTS = "story_cache_requests";
  public static final String SAFETY_VIOLATIONS = "content_safety_violations";
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

  private final MeterRegistry registry;

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * One request, from call to return; {@code outcome} is {@code success} or an error code, {@code
   * theme} one of the catalog's (the pipeline passes {@link #UNKNOWN_THEME} for any other).
   */
  public void generation(
      String theme, String ageGroup, String outcome, CacheTier cache, long nanos) {
    GenerationSeries series = new GenerationSeries(theme, ageGroup, outcome, cache);
    Timer timer = generationTimers.get(series);
    if (timer == null) {
      timer = generationTimers.computeIfAbsent(series, this::generationTimer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The theme tag of a request whose theme is not in the catalog. */
  public static final String UNKNOWN_THEME = "unknown";

  /**
   * The generation timers met so far, so a request records into its series without building and
   * looking up a meter id (tags sorted, the registry's map searched) each time. Bounded as the
   * series are: catalog themes × age groups × outcomes × cache tiers.
   */
  private final ConcurrentMap<GenerationSeries, Timer> generationTimers = new ConcurrentHashMap<>();

  private record GenerationSeries(String theme, String ageGroup, String outcome, CacheTier cache) {}

  private Timer generationTimer(GenerationSeries s) {
    return Timer.builder(GENERATION_TIME)
        .description("Time to deliver a story, from request to response")
        .tags(
            "theme",
            s.theme(),
            "age_group",
            s.ageGroup(),
            "outcome",
            s.outcome(),
            "cache",
            s.cache().label())
        .publishPercentileHistogram(false)
        .register(registry);
  }

  public void timeout(String model) {
    Counter.builder(GENERATION_TIMEOUTS)
        .description("Model calls that exceeded the time limit")
        .tag("model", model)
        .register(registry)
        .increment();
  }

  public void cache(CacheTier tier, boolean hit) {
    int series = tier.ordinal() * 2 + (hit ? 1 : 0);
    Counter counter = cacheCounters.get(series);
    if (counter == null) {
      // Registered on first use, so a tier the instance never asks adds no series.
      counter =
          Counter.builder(CACHE_REQUESTS)
              .description("Story cache lookups by tier and result")
              .tags("tier", tier.label(), "result", hit ? "hit" : "miss")
              .register(registry);
      cacheCounters.set(series, counter); // the registry hands every caller the same counter
    }
    counter.increment();
  }

  /** The cache counters met so far: a hit and a miss per tier. */
  private final AtomicReferenceArray<Counter> cacheCounters =
      new AtomicReferenceArray<>(CacheTier.values().length * 2);

  public void violation(SafetyCategory category, SafetyStage stage) {
    Counter.builder(SAFETY_VIOLATIONS)
        .description("Blocking safety findings")
        .tags("violation_type", category.label(), "stage", stage.label())
        .register(registry)
        .increment();
  }

  /** One model call, successful or not; {@code errorType} is empty on success. */
  public void modelCall(String model, long nanos, String errorType, TokenUsage usage) {
    ModelCallSeries series = new ModelCallSeries(model, errorType);
    ModelCallMeters meters = modelCallMeters.get(series);
    if (meters == null) {
      meters = modelCallMeters.computeIfAbsent(series, this::modelCallMeters);
    }
    meters.duration().record(nanos, TimeUnit.NANOSECONDS);
    if (errorType.isEmpty()) {
      meters.inputTokens().record((double) usage.inputTokens());
      meters.outputTokens().record((double) usage.outputTokens());
    }
  }

  /**
   * The GenAI meters of the model calls met so far, so a call records into its series without
   * building tags and looking up three meter ids (a thousand generations at once did that a
   * thousand times). Bounded as the series are: configured models × error codes.
   */
  private final ConcurrentMap<ModelCallSeries, ModelCallMeters> modelCallMeters =
      new ConcurrentHashMap<>();

  private record ModelCallSeries(String model, String errorType) {}

  /** A call's duration timer and, for successful calls only, its token summaries. */
  private record ModelCallMeters(
      Timer duration, DistributionSummary inputTokens, DistributionSummary outputTokens) {}

  private ModelCallMeters modelCallMeters(ModelCallSeries series) {
    Tags chat = chatTags(series.model());
    Timer.Builder duration =
        Timer.builder(OPERATION_DURATION).description("GenAI operation duration").tags(chat);
    if (!series.errorType().isEmpty()) {
      return new ModelCallMeters(
          duration.tag("error.type", series.errorType()).register(registry), null, null);
    }
    return new ModelCallMeters(
        duration.register(registry), tokens(chat, "input"), tokens(chat, "output"));
  }

  private DistributionSummary tokens(Tags chat, String type) {
    return DistributionSummary.builder(TOKEN_USAGE)
        .description("GenAI tokens used")
        .baseUnit("{token}")
        .tags(chat)
        .tag("gen_ai.token.type", type)
        .register(registry);
  }

  /** The tags every GenAI meter of a chat call with {@code model} carries. */
  private static Tags chatTags(String model) {
    return Tags.of(
        "gen_ai.operation.name",
        "chat",
        "gen_ai.system",
        system(model),
        "gen_ai.request.model",
        model);
  }

  private static String system(String model) {
    int colon = model.indexOf(':');
    return colon > 0 ? model.substring(0, colon) : model.replaceAll("-\\d+$", "");
  }
}
