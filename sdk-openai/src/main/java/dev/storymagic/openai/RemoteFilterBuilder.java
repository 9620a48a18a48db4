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
 * The options both remote safety filters' builders ({@link OpenAiModerationFilter.Builder}, {@link
 * LlamaGuardFilter.Builder}) take besides the connection: the judging model, the story model they
 * may share a pool with, the time limit of a call, the outage policy per stage, the fail-closed
 * category and the verdict cache. Each option may be set once and returns the filter's builder for
 * chaining.
 *
 * @param <B> the filter's builder
 */
public abstract class RemoteFilterBuilder<B extends RemoteFilterBuilder<B>>
    extends ConnectionChoice<B> {
  String model;
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

  RemoteFilterBuilder(String defaultModel, Duration defaultTimeout) {
    this.model = defaultModel;
    this.timeout = defaultTimeout;
  }

  /**
   * Shares {@code model}'s base URL, key, organisation, project, headers and connection pool: the
   * filter runs on the same server.
   */
  public B from(OpenAiStoryModel model) {
    once("from");
    this.from = requireNonNull(model, "model");
    return self();
  }

  /**
   * The judging model's name on the server, stripped. Default the filter's {@code DEFAULT_MODEL}.
   */
  public B model(String model) {
    once("model");
    requireNonNull(model, "model");
    checkModel(model);
    this.model = model.strip();
    return self();
  }

  /**
   * Checks a model name the filter's way.
   *
   * @throws IllegalArgumentException when the filter cannot use the name
   */
  abstract void checkModel(String model);

  /**
   * Limit for one call, connecting included; positive, at most 1 minute. Default the filter's
   * {@code DEFAULT_TIMEOUT}.
   */
  public B timeout(Duration timeout) {
    once("timeout");
    this.timeout = positiveAtMost(timeout, "timeout", Duration.ofMinutes(1));
    return self();
  }

  /**
   * What {@code stage} does when the filter cannot answer; once per stage. Default: input fails
   * open, output fails closed.
   */
  public B onOutage(SafetyStage stage, OutagePolicy policy) {
    requireNonNull(stage, "stage");
    requireNonNull(policy, "policy");
    if (!outageSet.add(stage)) {
      throw new IllegalStateException("onOutage(" + stage + ") was already set");
    }
    outagePolicies.put(stage, policy);
    return self();
  }

  /**
   * The category of the decisive finding a fail-closed outage reports. Default {@link
   * SafetyCategory#UNVERIFIED}, which names the outage rather than a harm the story did not
   * contain; a policy that allows the category for an age group accepts unchecked text for it.
   */
  public B failClosedCategory(SafetyCategory category) {
    once("failClosedCategory");
    this.failClosedCategory = requireNonNull(category, "category");
    return self();
  }

  /**
   * Texts whose verdicts are cached (0 disables the cache, up to 10,000,000) and for how long (a
   * positive time). Default 10,000 for 1 hour.
   */
  public B cache(long maximumSize, Duration ttl) {
    once("cache");
    require(
        maximumSize >= 0 && maximumSize <= 10_000_000,
        "cache size must be within 0..10000000: " + maximumSize);
    requireNonNull(ttl, "ttl");
    require(!ttl.isNegative() && !ttl.isZero(), "cache ttl must be positive: " + ttl);
    this.cacheSize = maximumSize;
    this.cacheTtl = ttl;
    return self();
  }

  /** Whether the filter shares a model's endpoint, credentials and pool. */
  final boolean fromModel() {
    return from != null;
  }

  /**
   * Opens the filter on the model's connection and pool, else on the builder's connection and a
   * pool of its own.
   *
   * @param keyFromEnvironment whether a missing key is looked up in {@code OPENAI_API_KEY}
   * @throws IllegalStateException when both a model and connection options were given
   */
  final <F> F open(boolean keyFromEnvironment, Client<F> filter) {
    if (from != null) {
      if (connectionIsSet()) {
        throw new IllegalStateException(
            "a filter built from a model uses the model's endpoint, credentials and pool; "
                + "do not also set connection, apiKey or baseUrl");
      }
      return filter.open(from.connection(), from.transport().retain());
    }
    return openOwnPool(keyFromEnvironment, filter);
  }

  /** The filter's calls, named {@code what} in messages, within the time limit. */
  final VerdictCalls calls(
      String what,
      ObjectMapper json,
      OpenAiConnection connection,
      HttpTransport transport,
      long maxBodyBytes) {
    return new VerdictCalls(what, json, connection, transport, timeout, maxBodyBytes);
  }

  /** The verdict cache and outage policy of a filter reporting as {@code source}. */
  final <T> RemoteVerdicts<T> verdicts(String source) {
    return new RemoteVerdicts<>(
        source,
        new RemoteVerdicts.Settings(
            model, outagePolicies, failClosedCategory, cacheSize, cacheTtl, timeout));
  }
}
