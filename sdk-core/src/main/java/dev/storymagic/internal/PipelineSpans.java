package dev.storymagic.internal;

import dev.storymagic.CacheTier;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pipeline's spans: {@code story.generate} (or {@code story.stream}) for a request, and under
 * it the steps that cost time: {@code story.input_safety}, {@code story.cache.get} per tier, {@code
 * story.single_flight.wait} (in-process) and {@code story.single_flight.lock} (across nodes),
 * {@code story.model.attempt} for every model call (retries and regenerations each get their own),
 * {@code story.output_safety} and {@code story.store.save}. Attributes describe the request (theme,
 * age group, length), verdicts (categories only) and token counts; no user or story text ever. Not
 * API.
 */
public final class PipelineSpans {
  static final AttributeKey<String> THEME = AttributeKey.stringKey("storymagic.theme");
  static final AttributeKey<String> AGE_GROUP = AttributeKey.stringKey("storymagic.age_group");
  static final AttributeKey<String> LENGTH = AttributeKey.stringKey("storymagic.length");
  static final AttributeKey<Boolean> FRESH = AttributeKey.booleanKey("storymagic.fresh");
  static final AttributeKey<String> SERVED_FROM =
      AttributeKey.stringKey("storymagic.cache.served_from");
  static final AttributeKey<Long> MODEL_CALLS = AttributeKey.longKey("storymagic.model.calls");
  static final AttributeKey<String> TIER = AttributeKey.stringKey("storymagic.cache.tier");
  static final AttributeKey<Boolean> HIT = AttributeKey.booleanKey("storymagic.cache.hit");
  static final AttributeKey<Boolean> BLOCKED = AttributeKey.booleanKey("storymagic.safety.blocked");
  static final AttributeKey<List<String>> VIOLATIONS =
      AttributeKey.stringArrayKey("storymagic.safety.violations");
  static final AttributeKey<Long> CALL = AttributeKey.longKey("storymagic.model.call");
  static final AttributeKey<Long> ROUND = AttributeKey.longKey("storymagic.story.attempt");

  private final Tracing tracing;

  PipelineSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  /** Runs one request inside its span; the span records how it was served, or the error code. */
  Story request(String name, StoryRequest request, Supplier<Story> work) {
    Span span = tracing.entry(name, SpanKind.INTERNAL);
    if (!span.isRecording()) {
      return work.get(); // not sampled: nothing below starts a span either
    }
    span.setAttribute(THEME, request.theme());
    span.setAttribute(AGE_GROUP, request.ageGroup().label());
    span.setAttribute(LENGTH, request.length().name().toLowerCase(java.util.Locale.ROOT));
    span.setAttribute(FRESH, request.fresh());
    try (Scope ignored = span.makeCurrent()) {
      Story story = work.get();
      span.setAttribute(SERVED_FROM, story.cacheTier().label());
      span.setAttribute(MODEL_CALLS, story.attempts());
      return story;
    } catch (RuntimeException e) {
      Tracing.fail(span, e, Tracing.errorType(e));
      throw e;
    } finally {
      span.end();
    }
  }

  Span stage(String name) {
    return tracing.child(name);
  }

  Span cacheGet(CacheTier tier) {
    Span span = tracing.child("story.cache.get");
    if (span.isRecording()) {
      span.setAttribute(TIER, tier.label());
    }
    return span;
  }

  static void cacheResult(Span span, Optional<Story> hit) {
    if (span.isRecording()) {
      span.setAttribute(HIT, hit.isPresent());
    }
  }

  static void verdict(Span span, SafetyVerdict verdict) {
    if (span.isRecording()) {
      span.setAttribute(BLOCKED, verdict.blocked());
      if (verdict.blocked()) {
        List<String> categories = new ArrayList<>();
        for (SafetyCategory c : verdict.violationTypes()) {
          categories.add(c.label());
        }
        span.setAttribute(VIOLATIONS, categories);
      }
    }
  }

  /**
   * One call to the model inside the resilience stack: {@code call} counts every call of the
   * request (so a retry is call 2 of the same attempt), {@code request.attempt()} the
   * regenerations.
   */
  ModelResponse modelAttempt(
      String modelId, ModelRequest request, int call, Supplier<ModelResponse> work) {
    Span span = tracing.child("story.model.attempt");
    if (!span.isRecording()) {
      return work.get();
    }
    GenAiSpans.chatRequest(span, modelId);
    span.setAttribute(CALL, call);
    span.setAttribute(ROUND, request.attempt());
    try (Scope ignored = span.makeCurrent()) {
      ModelResponse response = work.get();
      GenAiSpans.response(span, response);
      return response;
    } catch (RuntimeException e) {
      Tracing.fail(span, e, Tracing.errorType(e));
      throw e;
    } finally {
      span.end();
    }
  }
}
