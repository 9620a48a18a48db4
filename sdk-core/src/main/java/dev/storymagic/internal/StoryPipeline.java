package dev.storymagic.internal;

import dev.storymagic.CacheTier;
import dev.storymagic.ComponentHealth;
import dev.storymagic.FieldError;
import dev.storymagic.QualityPolicy;
import dev.storymagic.QualityReport;
import dev.storymagic.ResilienceSettings;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import dev.storymagic.WordBand;
import dev.storymagic.internal.TierLookup.Hit;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.GenerationLock;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.PromptTemplates;
import dev.storymagic.spi.RateLimitDecision;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.spi.StoryRateLimiter;
import dev.storymagic.spi.StoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The story pipeline behind {@code StoryMagic}. Not API. */
public final class StoryPipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoryPipeline.class);
  private static final Pattern LANGUAGE_TAG =
      Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
  private static final int MAX_OWNER_LENGTH = 128;
  private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
  private static final Duration LOCK_POLL = Duration.ofMillis(25);

  /** Everything the builder gathered. */
  public record Config(
      StoryModel model,
      StoryCache cache,
      Optional<StoryStore> store,
      List<SafetyFilter> safetyFilters,
      SafetyPolicy safetyPolicy,
      PromptTemplates templates,
      ThemeCatalog themes,
      ResilienceSettings resilience,
      QualityPolicy qualityPolicy,
      MeterRegistry meterRegistry,
      Optional<GenerationLock> generationLock,
      StoryRateLimiter rateLimiter,
      Clock clock,
      int maxInFlight,
      boolean auditBlockedText,
      Optional<OpenTelemetry> openTelemetry) {}

  private final Config config;
  private final PipelineMetrics metrics;
  private final PipelineSpans spans;
  private final ResilientModel model;
  private final PromptRenderer renderer;
  private final List<StoryCache> tiers;
  private final List<SafetyFilter> incrementalFilters;
  private final BoundedExecutor async;
  private final SingleFlight<Story> singleFlight = new SingleFlight<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Input assessments by text, kept only when every filter is local and deterministic: a repeated
   * request (a cache hit above all) then costs a lookup and a judgement instead of a scan. An
   * assessment does not depend on the age group, so one entry serves every audience.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, SafetyAssessment> inputAssessments;

  /** The policy version and every filter's version: a change to either must miss the cache. */
  private final String safetyVersion;

  public StoryPipeline(Config config) {
    this.config = config;
    this.metrics = new PipelineMetrics(config.meterRegistry());
    this.spans = new PipelineSpans(Tracing.of(config.openTelemetry(), "dev.storymagic"));
    this.model = new ResilientModel(config.model(), config.resilience(), metrics, spans);
    this.renderer = new PromptRenderer(config.templates());
    this.tiers = config.cache().tiers();
    this.incrementalFilters =
        config.safetyFilters().stream().filter(SafetyFilter::incremental).toList();
    this.async = new BoundedExecutor("storymagic-request", config.maxInFlight());
    StringBuilder safety = new StringBuilder(config.safetyPolicy().version());
    for (SafetyFilter filter : config.safetyFilters()) {
      safety.append('|').append(filter.version());
    }
    this.safetyVersion = safety.toString();
    this.inputAssessments =
        incrementalFilters.size() == config.safetyFilters().size()
            ? com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(Duration.ofHours(1))
                .build()
            : null;
  }

  public Config config() {
    return config;
  }

  // ---------------------------------------------------------------- validation

  public List<FieldError> validate(StoryRequest r) {
    List<FieldError> errors = new ArrayList<>();
    if (config.themes().find(r.theme()).isEmpty()) {
      errors.add(
          new FieldError(
              "theme",
              "unknown theme '"
                  + UserText.sanitize(r.theme(), 40)
                  + "'; one of: "
                  + String.join(", ", config.themes().ids())));
    }
    if (r.characters().size() > StoryRequest.MAX_CHARACTERS) {
      errors.add(
          new FieldError(
              "characters",
              "at most "
                  + StoryRequest.MAX_CHARACTERS
                  + " characters, got "
                  + r.characters().size()));
    }
    for (int i = 0; i < r.characters().size(); i++) {
      StoryCharacter c = r.characters().get(i);
      if (c.name().isBlank()) {
        errors.add(new FieldError("characters[" + i + "].name", "must not be blank"));
      } else if (c.name().length() > StoryCharacter.MAX_NAME_LENGTH) {
        errors.add(
            new FieldError(
                "characters[" + i + "].name",
                "at most "
                    + StoryCharacter.MAX_NAME_LENGTH
                    + " characters, got "
                    + c.name().length()));
      }
      if (c.description().length() > StoryCharacter.MAX_DESCRIPTION_LENGTH) {
        errors.add(
            new FieldError(
                "characters[" + i + "].description",
                "at most "
                    + StoryCharacter.MAX_DESCRIPTION_LENGTH
                    + " characters, got "
                    + c.description().length()));
      }
    }
    maxLength(errors, "setting", r.setting(), StoryRequest.MAX_SETTING_LENGTH);
    maxLength(errors, "moral", r.moral(), StoryRequest.MAX_MORAL_LENGTH);
    maxLength(errors, "idea", r.idea(), StoryRequest.MAX_IDEA_LENGTH);
    if (!LANGUAGE_TAG.matcher(r.language()).matches()) {
      errors.add(
          new FieldError("language", "must be a BCP 47 language tag such as 'en' or 'pt-BR'"));
    }
    maxLength(errors, "owner", r.owner(), MAX_OWNER_LENGTH);
    maxLength(errors, "idempotencyKey", r.idempotencyKey(), MAX_IDEMPOTENCY_KEY_LENGTH);
    return errors;
  }

  private static void maxLength(
      List<FieldError> errors, String field, Optional<String> value, int max) {
    value
        .filter(v -> v.length() > max)
        .ifPresent(
            v ->
                errors.add(
                    new FieldError(field, "at most " + max + " characters, got " + v.length())));
  }

  // ---------------------------------------------------------------- blocking generation

  public Story generate(StoryRequest request) {
    return spans.request("story.generate", request, () -> generateNow(request));
  }

  private Story generateNow(StoryRequest request) {
    long start = System.nanoTime();
    CacheTier tier = CacheTier.NONE;
    String outcome = "success";
    try {
      Prepared p = prepare(request);
      if (p.replay.isPresent()) {
        tier = CacheTier.STORE;
        return p.replay.get();
      }
      Optional<Hit> hit = request.fresh() ? Optional.empty() : lookup(p.key);
      Story base;
      if (hit.isPresent()) {
        tier = hit.get().tier();
        base = hit.get().story();
      } else if (request.fresh()) {
        base = produce(p);
      } else {
        base = shared(p);
      }
      return deliver(base, request, tier, start);
    } catch (StoryMagicException e) {
      outcome = e.code();
      throw e;
    } finally {
      metrics.generation(
          meteredTheme(request),
          request.ageGroup().label(),
          outcome,
          tier,
          System.nanoTime() - start);
    }
  }

  /**
   * The request's theme as a metric tag: a catalog theme, or {@link PipelineMetrics#UNKNOWN_THEME}
   * for anything else, so callers sending made-up themes (refused as invalid) cannot add series.
   */
  private String meteredTheme(StoryRequest request) {
    return config.themes().find(request.theme()).isPresent()
        ? request.theme()
        : PipelineMetrics.UNKNOWN_THEME;
  }

  public CompletableFuture<Story> generateAsync(StoryRequest request) {
    ensureOpen();
    return async
        .supply(() -> generate(request))
        .handle(
            (story, error) -> {
              if (error != null) {
                throw new CompletionException(unwrap(error));
              }
              return story;
            });
  }

  /** Single-flight: the first caller for a key generates; the others wait for its result. */
  private Story shared(Prepared p) {
    return singleFlight.run(
        p.key, () -> justCached(p.key).orElseGet(() -> produceAcrossNodes(p)), this::awaitLeader);
  }

  /**
   * The story a previous leader cached between this caller's lookup and its turn to lead: taking it
   * keeps identical requests at one model call. Read from the in-process tier only, and not
   * counted: this caller's miss was counted already.
   */
  private Optional<Story> justCached(String key) {
    if (tiers.isEmpty()) {
      return Optional.empty();
    }
    try {
      return tiers.get(0).get(key);
    } catch (RuntimeException e) {
      return Optional.empty(); // a failing tier is a miss, as in the lookup
    }
  }

  private Story awaitLeader(Supplier<Story> leader) {
    Span wait = spans.stage("story.single_flight.wait");
    try (Scope ignored = Tracing.enter(wait)) {
      return leader.get();
    } finally {
      wait.end();
    }
  }

  /**
   * With a shared lock, one node generates and the others wait for the shared cache tier; if the
   * holder vanishes the lock expires and a waiter takes over.
   */
  private Story produceAcrossNodes(Prepared p) {
    if (config.generationLock().isEmpty()) {
      return produce(p);
    }
    GenerationLock lock = config.generationLock().get();
    Duration ttl = config.resilience().attemptTimeout().plusSeconds(5);
    long deadline =
        System.nanoTime() + ttl.multipliedBy(config.resilience().maxAttempts()).toNanos();
    Span wait = spans.stage("story.single_flight.lock");
    while (true) {
      Optional<GenerationLock.Lease> lease;
      try (Scope ignored = Tracing.enter(wait)) {
        lease = lock.tryAcquire(p.key, ttl);
      }
      if (lease.isPresent()) {
        wait.end();
        try (GenerationLock.Lease held = lease.get()) {
          // Another node may have finished between our cache miss and taking the lock.
          Optional<Hit> late = lookupShared(p.key);
          return late.isPresent() ? late.get().story() : produce(p);
        }
      }
      Optional<Hit> hit;
      try (Scope ignored = Tracing.enter(wait)) {
        hit = lookupShared(p.key);
      }
      if (hit.isPresent()) {
        wait.end();
        return hit.get().story();
      }
      if (System.nanoTime() > deadline) {
        wait.end();
        log.warn("cross-node lock for a story stayed taken past its deadline; generating locally");
        return produce(p);
      }
      LockSupport.parkNanos(LOCK_POLL.toNanos());
      if (Thread.interrupted()) {
        wait.end();
        Thread.currentThread().interrupt();
        throw new StoryMagicException.Cancelled(
            "interrupted while waiting for another node's story");
      }
    }
  }

  /**
   * Generates with the whole answer collected at once (see {@link #produce(Prepared,
   * GenerationSink)}).
   */
  private Story produce(Prepared p) {
    return produce(p, GenerationSink.collecting(model, answer -> judgeWhole(p, answer)));
  }

  /**
   * The generation loop: generates until a safe, usable story is produced or the attempt budget is
   * spent; caches it. A story that fails a hard quality check is regenerated like an unsafe one and
   * never cached; one that misses the soft checks is regenerated under {@link
   * QualityPolicy#REGENERATE} while none of its text has reached the caller. Once text has reached
   * the caller (streaming), an unsafe or unusable answer ends the generation: a different story
   * cannot follow it.
   */
  private Story produce(Prepared p, GenerationSink sink) {
    long start = System.nanoTime();
    Set<SafetyCategory> rejected = EnumSet.noneOf(SafetyCategory.class);
    SafetyVerdict lastVerdict = null;
    List<String> lastHardProblems = List.of();
    TokenUsage usage = TokenUsage.NONE;
    BigDecimal cost = BigDecimal.ZERO;
    long modelNanos = 0;
    Story lastQualityMiss = null;
    AtomicInteger calls = new AtomicInteger();
    int attempts = config.safetyPolicy().maxOutputAttempts();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      GenerationSink.Attempt answer = sink.attempt(modelRequest(p, attempt, rejected), calls);
      modelNanos += answer.modelNanos();
      if (answer.response().isPresent()) {
        usage = usage.plus(answer.response().get().usage());
        cost = cost.add(answer.response().get().estimatedCostUsd());
      }
      // A safety violation outranks a quality problem: it is what the caller must hear about.
      if (answer.response().isPresent() && !answer.blocked()) {
        lastHardProblems = hardProblems(p, answer.response().get());
        if (!lastHardProblems.isEmpty()) {
          if (answer.released()) {
            throw unusable(lastHardProblems, attempt);
          }
          log.debug(
              "attempt {} wrote an unusable story ({}); regenerating", attempt, lastHardProblems);
          continue;
        }
        answer.finish();
      }
      SafetyVerdict verdict = answer.verdict();
      if (verdict.blocked()) {
        lastVerdict = verdict;
        lastHardProblems = List.of();
        rejected.addAll(verdict.violationTypes());
        if (answer.released()) {
          throw new StoryMagicException.UnsafeOutput(verdict, attempt);
        }
        continue;
      }
      Story story =
          assemble(
              p,
              answer.response().orElseThrow(),
              verdict,
              usage,
              cost,
              calls.get(),
              start,
              modelNanos);
      if (!story.quality().passed()
          && config.qualityPolicy() == QualityPolicy.REGENERATE
          && attempt < attempts
          && !answer.released()) {
        log.debug(
            "story missed soft quality checks ({}); regenerating", story.quality().problems());
        lastQualityMiss = story;
        continue;
      }
      cache(p.key, story);
      return story;
    }
    if (lastQualityMiss != null) {
      cache(p.key, lastQualityMiss);
      return lastQualityMiss;
    }
    if (!lastHardProblems.isEmpty()) {
      throw unusable(lastHardProblems, attempts);
    }
    throw new StoryMagicException.UnsafeOutput(lastVerdict, attempts);
  }

  /** The output safety check of a whole answer, title included. */
  private SafetyVerdict judgeWhole(Prepared p, ModelResponse answer) {
    return checkOutput(p, title(answer) + "\n\n" + answer.text());
  }

  /** The hard quality problems of a model's answer; empty when it is usable. */
  private List<String> hardProblems(Prepared p, ModelResponse response) {
    return QualityChecks.hardProblems(
        new QualityChecks.Draft(
            title(response),
            response.paragraphs(),
            p.band,
            p.request.ageGroup(),
            p.request.language(),
            config.model().writesRequestedLanguage()));
  }

  private StoryMagicException.ModelFailure unusable(List<String> problems, int attempts) {
    String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
    return new StoryMagicException.ModelFailure(
        StoryMagicException.ModelFailure.Reason.UNUSABLE_STORY,
        "model '"
            + config.model().id()
            + "' wrote no usable story in "
            + tries
            + ": "
            + String.join("; ", problems));
  }

  // ---------------------------------------------------------------- streaming

  public CompletableFuture<Story> stream(StoryRequest request, StoryListener listener) {
    ensureOpen();
    CompletableFuture<Story> result =
        async.supply(
            () -> spans.request("story.stream", request, () -> streamNow(request, listener)));
    return result.handle(
        (story, error) -> {
          if (error != null) {
            Throwable cause = unwrap(error);
            if (cause instanceof RejectedExecutionException) {
              StoryMagicException busy = busy();
              listener.onError(busy);
              throw new CompletionException(busy);
            }
            throw new CompletionException(cause);
          }
          return story;
        });
  }

  private Story streamNow(StoryRequest request, StoryListener listener) {
    long start = System.nanoTime();
    CacheTier tier = CacheTier.NONE;
    String outcome = "success";
    try {
      Prepared p = prepare(request);
      Optional<Hit> hit = p.replay.map(s -> new Hit(s, CacheTier.STORE));
      if (hit.isEmpty() && !request.fresh()) {
        hit = lookup(p.key);
      }
      Story story;
      if (hit.isPresent()) {
        tier = hit.get().tier();
        Story cached = hit.get().story();
        for (String paragraph : cached.paragraphs()) {
          listener.onText(paragraph + "\n\n");
        }
        story = tier == CacheTier.STORE ? cached : deliver(cached, request, tier, start);
      } else {
        story = deliver(produceStreaming(p, listener), request, CacheTier.NONE, start);
      }
      listener.onComplete(story);
      return story;
    } catch (StoryMagicException e) {
      outcome = e.code();
      listener.onError(e);
      throw e;
    } catch (RuntimeException e) {
      outcome = "internal_error";
      StoryMagicException.ModelFailure failure =
          new StoryMagicException.ModelFailure(
              StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE,
              "the story could not be completed",
              0,
              e);
      listener.onError(failure);
      throw failure;
    } finally {
      metrics.generation(
          meteredTheme(request),
          request.ageGroup().label(),
          outcome,
          tier,
          System.nanoTime() - start);
    }
  }

  /** Generates with each sentence forwarded to {@code listener} once it is judged safe. */
  private Story produceStreaming(Prepared p, StoryListener listener) {
    SafetyContext context =
        new SafetyContext(SafetyStage.OUTPUT, p.request.ageGroup(), config.safetyPolicy());
    return produce(
        p,
        GenerationSink.forwarding(
            model,
            incrementalFilters,
            context,
            listener,
            answer -> judgeWhole(p, answer),
            violation -> {
              countViolations(violation, SafetyStage.OUTPUT);
              audit(p.request, SafetyStage.OUTPUT, violation, Optional.empty());
            }));
  }

  // ---------------------------------------------------------------- steps

  private record Prepared(
      StoryRequest request, Theme theme, WordBand band, String key, Optional<Story> replay) {}

  /** Validation, rate limit, idempotent replay, input safety, cache key. */
  private Prepared prepare(StoryRequest request) {
    ensureOpen();
    List<FieldError> errors = validate(request);
    if (!errors.isEmpty()) {
      throw new StoryMagicException.InvalidRequest(errors);
    }
    Theme theme = config.themes().find(request.theme()).orElseThrow();
    if (request.owner().isPresent()) {
      RateLimitDecision decision = config.rateLimiter().tryAcquire(request.owner().get());
      if (!decision.allowed()) {
        throw new StoryMagicException.RateLimited(
            "too many story requests; try again in "
                + Math.max(1, decision.retryAfter().toSeconds())
                + " s",
            decision.retryAfter());
      }
    }
    Optional<Story> replay = Optional.empty();
    if (request.owner().isPresent()
        && request.idempotencyKey().isPresent()
        && config.store().isPresent()) {
      replay =
          config
              .store()
              .get()
              .findByIdempotencyKey(request.owner().get(), request.idempotencyKey().get());
    }
    if (replay.isEmpty()) {
      checkInput(request);
    }
    WordBand band = request.length().band(request.ageGroup());
    String key =
        CacheKeys.of(request, config.model().id(), config.templates().version(), safetyVersion);
    return new Prepared(request, theme, band, key, replay);
  }

  private void checkInput(StoryRequest request) {
    List<String> texts = request.userTexts();
    if (texts.isEmpty()) {
      return;
    }
    // Each piece is checked on its own line, so one field's end cannot join the next field's start.
    String joined = String.join("\n", texts);
    Span span = spans.stage("story.input_safety");
    SafetyVerdict verdict;
    try (Scope ignored = Tracing.enter(span)) {
      SafetyAssessment assessment =
          inputAssessments == null
              ? assessAll(joined, SafetyStage.INPUT)
              : inputAssessments.get(joined, k -> assessAll(joined, SafetyStage.INPUT));
      verdict = assessment.verdict(request.ageGroup(), config.safetyPolicy());
      PipelineSpans.verdict(span, verdict);
    } finally {
      span.end();
    }
    if (verdict.blocked()) {
      countViolations(verdict, SafetyStage.INPUT);
      audit(request, SafetyStage.INPUT, verdict, Optional.of(joined));
      log.info("request rejected by the input safety check: {}", verdict.violationTypes());
      throw new StoryMagicException.UnsafeInput(verdict);
    }
  }

  private SafetyVerdict checkOutput(Prepared p, String text) {
    Span span = spans.stage("story.output_safety");
    SafetyVerdict verdict;
    try (Scope ignored = Tracing.enter(span)) {
      verdict =
          assessAll(text, SafetyStage.OUTPUT).verdict(p.request.ageGroup(), config.safetyPolicy());
      PipelineSpans.verdict(span, verdict);
    } finally {
      span.end();
    }
    if (verdict.blocked()) {
      countViolations(verdict, SafetyStage.OUTPUT);
      audit(p.request, SafetyStage.OUTPUT, verdict, Optional.empty());
      log.warn("generated story blocked by the output safety check: {}", verdict.violationTypes());
    }
    return verdict;
  }

  /** Every filter's findings for {@code text}, judged later for the request's age group. */
  private SafetyAssessment assessAll(String text, SafetyStage stage) {
    SafetyAssessment assessment = SafetyAssessment.empty();
    for (SafetyFilter filter : config.safetyFilters()) {
      assessment = assessment.merge(filter.assess(text, stage));
    }
    return assessment;
  }

  private void countViolations(SafetyVerdict verdict, SafetyStage stage) {
    for (SafetyCategory c : verdict.violationTypes()) {
      metrics.violation(c, stage);
    }
  }

  private void audit(
      StoryRequest request, SafetyStage stage, SafetyVerdict verdict, Optional<String> text) {
    if (config.store().isEmpty() || request.owner().isEmpty()) {
      return;
    }
    try {
      config
          .store()
          .get()
          .recordBlocked(
              new BlockedRequest(
                  request.owner(),
                  stage,
                  verdict.violationTypes(),
                  request.ageGroup(),
                  request.theme(),
                  verdict.policyVersion(),
                  config.clock().instant(),
                  config.auditBlockedText() ? text : Optional.empty()));
    } catch (RuntimeException e) {
      // The audit row is secondary to the answer the caller is waiting for.
      log.warn("could not record a blocked request: {}", e.toString());
    }
  }

  private Optional<Hit> lookup(String key) {
    return TierLookup.find(tiers, 0, key, this::probe);
  }

  /**
   * Looks only at the shared tiers (everything after L1), as another node would have filled them.
   */
  private Optional<Hit> lookupShared(String key) {
    return tiers.size() > 1 ? TierLookup.find(tiers, 1, key, this::probe) : Optional.empty();
  }

  /** One tier's read inside its span, counted as a hit or a miss (a failure is a miss). */
  private Optional<Story> probe(StoryCache tier, String key) {
    Span span = spans.cacheGet(tier.tier());
    Optional<Story> hit = Optional.empty();
    try (Scope ignored = Tracing.enter(span)) {
      hit = tier.get(key);
      return hit;
    } catch (RuntimeException e) {
      Tracing.fail(span, e, e.getClass().getSimpleName());
      throw e;
    } finally {
      PipelineSpans.cacheResult(span, hit);
      span.end();
      metrics.cache(tier.tier(), hit.isPresent());
    }
  }

  private void cache(String key, Story story) {
    TierLookup.putAll(tiers, key, story);
  }

  private ModelRequest modelRequest(Prepared p, int attempt, Set<SafetyCategory> rejected) {
    long seed =
        p.request.fresh()
            ? ThreadLocalRandom.current().nextLong()
            : CacheKeys.seed(p.request, config.model().id(), config.templates().version());
    return new ModelRequest(
        renderer.render(p.request, p.theme, p.band, rejected),
        p.request,
        p.theme,
        p.band,
        seed,
        attempt);
  }

  private Story assemble(
      Prepared p,
      ModelResponse response,
      SafetyVerdict verdict,
      TokenUsage usage,
      BigDecimal cost,
      int modelCalls,
      long start,
      long modelNanos) {
    String body = response.text();
    String title = title(response);
    QualityReport quality =
        new QualityReport(
            Readability.wordCount(body),
            p.band,
            Math.round(Readability.fleschKincaidGrade(body) * 10) / 10.0,
            p.request.ageGroup(),
            !title.isBlank());
    Timings timings =
        new Timings(Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(modelNanos));
    return new Story(
        StoryIds.next(),
        Optional.empty(),
        title,
        response.paragraphs(),
        contentOnly(p.request),
        response.model(),
        config.templates().version(),
        usage,
        cost,
        quality,
        verdict,
        timings,
        CacheTier.NONE,
        modelCalls,
        config.clock().instant());
  }

  private static String title(ModelResponse response) {
    return response == null ? "" : response.title().strip();
  }

  /** The request as cached: content only, without whoever asked first. */
  private static StoryRequest contentOnly(StoryRequest r) {
    return r.owner().isEmpty() && r.idempotencyKey().isEmpty() && !r.fresh()
        ? r
        : r.toBuilder().owner(null).idempotencyKey(null).fresh(false).build();
  }

  /**
   * Gives a fresh id, the caller's request and owner, then stores it if the request names an owner.
   */
  private Story deliver(Story base, StoryRequest request, CacheTier tier, long start) {
    Duration total = Duration.ofNanos(System.nanoTime() - start);
    Duration modelTime = tier == CacheTier.NONE ? base.timings().model() : Duration.ZERO;
    Story story =
        base.deliveredAs(
            StoryIds.next(),
            sharingContentWith(request, base.request()),
            tier,
            new Timings(total, modelTime),
            config.clock().instant());
    if (request.owner().isPresent() && config.store().isPresent()) {
      Span span = spans.stage("story.store.save");
      try (Scope ignored = Tracing.enter(span)) {
        story = config.store().get().save(story);
      } catch (RuntimeException e) {
        Tracing.fail(span, e, Tracing.errorType(e));
        throw e;
      } finally {
        span.end();
      }
    }
    return story;
  }

  /**
   * The caller's request, each content field that equals the delivered story's taken from that
   * story. Every delivery of a cached story is stored as a story of its own, and the caller's
   * fields were just parsed from their request: shared, a story delivered a million times keeps one
   * copy of its theme, characters and moral instead of a million, which is about half the objects
   * each stored story holds (the collector copies them all while the story is young). Equal values,
   * so nothing a caller can see changes.
   */
  @SuppressWarnings("ReferenceEquality") // the very same request needs no copy
  static StoryRequest sharingContentWith(StoryRequest request, StoryRequest delivered) {
    if (request == delivered) {
      return request;
    }
    return new StoryRequest(
        equalOrOwn(request.theme(), delivered.theme()),
        request.ageGroup(),
        equalOrOwn(request.characters(), delivered.characters()),
        equalOrOwn(request.setting(), delivered.setting()),
        equalOrOwn(request.moral(), delivered.moral()),
        equalOrOwn(request.idea(), delivered.idea()),
        request.length(),
        equalOrOwn(request.language(), delivered.language()),
        request.fresh(),
        request.owner(),
        request.idempotencyKey());
  }

  /** {@code theirs} when it equals {@code mine}, so one instance serves both; else {@code mine}. */
  private static <T> T equalOrOwn(T mine, T theirs) {
    return mine.equals(theirs) ? theirs : mine;
  }

  // ---------------------------------------------------------------- lifecycle

  public Map<String, ComponentHealth> health() {
    Map<String, ComponentHealth> health = new LinkedHashMap<>();
    health.put(
        "model",
        guarded(
            () -> {
              if (model.circuitBreaker().getState()
                  == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN) {
                return new ComponentHealth(
                    ComponentHealth.Status.DOWN, "circuit breaker open after repeated failures");
              }
              return config.model().health();
            }));
    for (StoryCache tier : tiers) {
      health.put("cache_" + tier.tier().label(), guarded(tier::health));
    }
    config.store().ifPresent(store -> health.put("store", guarded(store::health)));
    return health;
  }

  private static ComponentHealth guarded(Supplier<ComponentHealth> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return ComponentHealth.down(e.getClass().getSimpleName());
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new StoryMagicException.ModelUnavailable(
          StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL, "StoryMagic is shut down");
    }
  }

  private StoryMagicException.ModelUnavailable busy() {
    return new StoryMagicException.ModelUnavailable(
        StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL,
        "more than " + config.maxInFlight() + " generations in flight",
        Duration.ofSeconds(1),
        null);
  }

  private Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RejectedExecutionException) {
      return busy();
    }
    return t;
  }

  /**
   * Finishes in-flight work, then closes what this pipeline was given: the model (through {@link
   * ResilientModel#close()}), and every safety filter, cache tier, store, lock and rate limiter
   * that is {@link AutoCloseable}, each once, in reverse order of use. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Duration grace = config.resilience().attemptTimeout();
      async.shutdown(grace);
      model.close();
      java.util.Set<Object> done =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      done.add(config.model());
      List<Object> owned = new ArrayList<>();
      config.store().ifPresent(owned::add);
      config.generationLock().ifPresent(owned::add);
      owned.add(config.rateLimiter());
      owned.add(config.cache());
      owned.addAll(tiers);
      owned.addAll(config.safetyFilters());
      for (int i = owned.size() - 1; i >= 0; i--) {
        if (owned.get(i) instanceof AutoCloseable c && done.add(c)) {
          closeQuietly(c);
        }
      }
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // One component failing to close must not keep the others open.
      log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
