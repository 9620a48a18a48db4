package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.SafetyCategory;
import dev.storymagic.openai.internal.HttpTransport;
import dev.storymagic.openai.internal.RemoteVerdicts;
import dev.storymagic.openai.internal.VerdictCalls;
import dev.storymagic.spi.SafetyStage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The options both remote safety filters take, collected and checked in one place: the model they
 * may share a pool with, the time limit of a call, the outage policy per stage, the fail-closed
 * category and the verdict cache. Each filter's builder keeps its public methods and hands them
 * here, and each option returns the builder for chaining; what the filter itself reads comes back
 * as its {@link #calls} and {@link #verdicts}.
 *
 * @param <B> the filter's builder
 */
final class RemoteFilterOptions<B extends ConnectionChoice<B>> {
  private final B builder;
  private OpenAiStoryModel from;
  private Duration timeout;
  private final Map<SafetyStage, OutagePolicy> outagePolicies =
      new EnumMap<>(
          Map.of(
              SafetyStage.INPUT,
              OutagePolicy.FAIL_OPEN,
              SafetyStage.OUTPUT,
              OutagePolicy.FAIL_CLOSED));
  private final Set<SafetyStage> outageSet = new HashSet<>();
  private SafetyCategory failClosedCategory = SafetyCategory.UNVERIFIED;
  private long cacheSize = OpenAiModerationFilter.DEFAULT_CACHE_SIZE;
  private Duration cacheTtl = OpenAiModerationFilter.DEFAULT_CACHE_TTL;

  /**
   * @param builder the filter's builder, which tracks that each option is set once and holds the
   *     connection options
   */
  RemoteFilterOptions(B builder, Duration defaultTimeout) {
    this.builder = builder;
    this.timeout = defaultTimeout;
  }

  B from(OpenAiStoryModel model) {
    builder.once("from");
    this.from = requireNonNull(model, "model");
    return builder;
  }

  /** Positive, at most 1 minute. */
  B timeout(Duration timeout) {
    builder.once("timeout");
    this.timeout = ConnectionChoice.positiveAtMost(timeout, "timeout", Duration.ofMinutes(1));
    return builder;
  }

  /** Once per stage. */
  B onOutage(SafetyStage stage, OutagePolicy policy) {
    requireNonNull(stage, "stage");
    requireNonNull(policy, "policy");
    if (!outageSet.add(stage)) {
      throw new IllegalStateException("onOutage(" + stage + ") was already set");
    }
    outagePolicies.put(stage, policy);
    return builder;
  }

  B failClosedCategory(SafetyCategory category) {
    builder.once("failClosedCategory");
    this.failClosedCategory = requireNonNull(category, "category");
    return builder;
  }

  /** Up to 10,000,000 texts (0 disables the cache), for a positive time. */
  B cache(long maximumSize, Duration ttl) {
    builder.once("cache");
    ConnectionChoice.require(
        maximumSize >= 0 && maximumSize <= 10_000_000,
        "cache size must be within 0..10000000: " + maximumSize);
    requireNonNull(ttl, "ttl");
    ConnectionChoice.require(
        !ttl.isNegative() && !ttl.isZero(), "cache ttl must be positive: " + ttl);
    this.cacheSize = maximumSize;
    this.cacheTtl = ttl;
    return builder;
  }

  /** Whether the filter shares a model's endpoint, credentials and pool. */
  boolean fromModel() {
    return from != null;
  }

  /**
   * Opens the filter on the model's connection and pool, else on the builder's connection and a
   * pool of its own.
   *
   * @param keyFromEnvironment whether a missing key is looked up in {@code OPENAI_API_KEY}
   * @throws IllegalStateException when both a model and connection options were given
   */
  <F> F open(boolean keyFromEnvironment, ConnectionChoice.Client<F> filter) {
    if (from != null) {
      if (builder.connectionIsSet()) {
        throw new IllegalStateException(
            "a filter built from a model uses the model's endpoint, credentials and pool; "
                + "do not also set connection, apiKey or baseUrl");
      }
      return filter.open(from.connection(), from.transport().retain());
    }
    return builder.openOwnPool(keyFromEnvironment, filter);
  }

  /** The filter's calls, named {@code what} in messages, within the time limit. */
  VerdictCalls calls(
      String what,
      ObjectMapper json,
      OpenAiConnection connection,
      HttpTransport transport,
      long maxBodyBytes) {
    return new VerdictCalls(what, json, connection, transport, timeout, maxBodyBytes);
  }

  /** The verdict cache and outage policy of a filter reporting as {@code source}. */
  <T> RemoteVerdicts<T> verdicts(String source, String model) {
    return new RemoteVerdicts<>(
        source, model, outagePolicies, failClosedCategory, cacheSize, cacheTtl, timeout);
  }
}
