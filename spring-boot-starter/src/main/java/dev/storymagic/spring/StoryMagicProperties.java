package dev.storymagic.spring;

import dev.storymagic.AgeGroup;
import dev.storymagic.QualityPolicy;
import dev.storymagic.SafetyCategory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * StoryMagic's settings under {@code storymagic.*}. Every setting has a default: with none at all
 * the application gets the offline story engine, the default safety filter and policy, and an
 * in-process cache. A setting left unset takes the SDK's own default (the {@code DEFAULT_}
 * constants of the option's class, named below), so the starter and the SDK never disagree. Three
 * settings switch to an OpenAI-compatible provider:
 *
 * <pre>
 * storymagic.model.provider=openai
 * storymagic.model.api-key=${OPENAI_API_KEY}
 * storymagic.model.name=gpt-4o-mini
 * </pre>
 *
 * <p>Immutable; bound once at startup, and a bad value fails the startup with a message naming the
 * property.
 *
 * @param enabled whether StoryMagic is configured at all (default true)
 * @param model the model that writes stories
 * @param moderation the remote moderation filter after the local classifier (OpenAI provider only)
 * @param cache the in-process cache
 * @param redis the shared Redis cache, cross-node lock and rate limit (needs {@code
 *     storymagic-store})
 * @param store where stories are kept
 * @param safety the safety policy
 * @param generation time limits, retries and concurrency bounds of the pipeline
 */
@ConfigurationProperties("storymagic")
public record StoryMagicProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue Model model,
    @DefaultValue Moderation moderation,
    @DefaultValue Cache cache,
    @DefaultValue Redis redis,
    @DefaultValue Store store,
    @DefaultValue Safety safety,
    @DefaultValue Generation generation) {

  /** Which model writes stories. */
  public enum Provider {
    /** The procedural engine in {@code storymagic-core}: no network, no key. */
    OFFLINE,
    /** An OpenAI-compatible chat-completions API. */
    OPENAI
  }

  /**
   * The model.
   *
   * @param provider {@code offline} (default) or {@code openai}
   * @param baseUrl the API base URL of an OpenAI-compatible provider (default {@code
   *     OpenAiConnection.DEFAULT_BASE_URL}, OpenAI's)
   * @param apiKey the API key, never logged; unset, the SDK reads {@code OPENAI_API_KEY} (a key is
   *     optional for providers other than OpenAI itself)
   * @param name the chat model (default {@code OpenAiStoryModel.DEFAULT_MODEL}, gpt-4o-mini)
   * @param connectTimeout time to establish a connection (default {@code
   *     OpenAiConnection.DEFAULT_CONNECT_TIMEOUT}, 10 s)
   * @param readTimeout longest silence while waiting for response bytes (default {@code
   *     OpenAiConnection.DEFAULT_READ_TIMEOUT}, 45 s)
   * @param callTimeout limit for a whole call, streams included (default {@code
   *     OpenAiStoryModel.DEFAULT_CALL_TIMEOUT}, 55 s, under the attempt timeout)
   * @param maxConcurrentRequests requests in flight to the provider (default {@code
   *     OpenAiConnection.DEFAULT_MAX_CONCURRENT_REQUESTS}, 64)
   * @param offlineStreamPace pause between streamed sentences of the offline engine (default 0:
   *     none)
   */
  public record Model(
      @DefaultValue("offline") Provider provider,
      String baseUrl,
      String apiKey,
      String name,
      Duration connectTimeout,
      Duration readTimeout,
      Duration callTimeout,
      Integer maxConcurrentRequests,
      Duration offlineStreamPace) {

    public Model {
      requirePositive("storymagic.model.connect-timeout", connectTimeout);
      requirePositive("storymagic.model.read-timeout", readTimeout);
      requirePositive("storymagic.model.call-timeout", callTimeout);
      requireAtLeastOne("storymagic.model.max-concurrent-requests", maxConcurrentRequests);
      if (offlineStreamPace != null && offlineStreamPace.isNegative()) {
        throw new IllegalArgumentException(
            "storymagic.model.offline-stream-pace cannot be negative: " + offlineStreamPace);
      }
    }

    @Override
    public String toString() {
      return "Model[provider=%s, baseUrl=%s, name=%s, apiKey=%s]"
          .formatted(provider, baseUrl, name, secret(apiKey));
    }
  }

  /**
   * The remote moderation filter, run after the local classifier on input and output. Used only
   * with the {@code openai} provider; it shares the model's key and connection pool.
   *
   * @param enabled default true
   * @param model the moderation model (default {@code OpenAiModerationFilter.DEFAULT_MODEL},
   *     omni-moderation-latest)
   * @param timeout limit of one moderation call (default {@code
   *     OpenAiModerationFilter.DEFAULT_TIMEOUT}, 5 s)
   */
  public record Moderation(@DefaultValue("true") boolean enabled, String model, Duration timeout) {

    public Moderation {
      requirePositive("storymagic.moderation.timeout", timeout);
    }
  }

  /**
   * The in-process cache (the first tier when Redis is configured).
   *
   * @param maximumSize stories kept (default 10,000)
   * @param ttl how long a story is kept after it was written (default {@code
   *     CaffeineStoryCache.DEFAULT_TTL}, 24 h)
   */
  public record Cache(@DefaultValue("10000") long maximumSize, Duration ttl) {
    public Cache {
      requireAtLeastOne("storymagic.cache.maximum-size", maximumSize);
      requirePositive("storymagic.cache.ttl", ttl);
    }
  }

  /**
   * Redis: the shared cache tier, the cross-node single-flight lock and, with a rate, the shared
   * per-owner rate limit. Used when {@code host} is set and {@code storymagic-store} is on the
   * class path.
   *
   * @param host the host name; unset means no Redis
   * @param port default {@code RedisConfig.DEFAULT_PORT}, 6379
   * @param tls whether to connect with TLS (default false)
   * @param user the ACL user, if any
   * @param password the AUTH password, if any; never logged
   * @param keyPrefix prepended to every key (default {@code RedisConfig.DEFAULT_KEY_PREFIX}, {@code
   *     storymagic:})
   * @param timeout connect and command timeout (default {@code RedisConfig.DEFAULT_TIMEOUT}, 50 ms:
   *     a slow Redis is a cache miss)
   * @param ttl how long a story is kept (default {@code RedisConfig.DEFAULT_TTL}, 24 h)
   * @param maxConnections pooled connections (default {@code RedisConfig.DEFAULT_MAX_CONNECTIONS},
   *     32)
   * @param rateLimitPerMinute story requests per owner per minute; 0 (default) for no limit
   */
  public record Redis(
      String host,
      Integer port,
      Boolean tls,
      String user,
      String password,
      String keyPrefix,
      Duration timeout,
      Duration ttl,
      Integer maxConnections,
      @DefaultValue("0") int rateLimitPerMinute) {

    public Redis {
      if (rateLimitPerMinute < 0) {
        throw new IllegalArgumentException(
            "storymagic.redis.rate-limit-per-minute cannot be negative: " + rateLimitPerMinute);
      }
    }

    @Override
    public String toString() {
      return "Redis[host=%s, port=%s, tls=%s, password=%s, keyPrefix=%s]"
          .formatted(host, port, tls, secret(password), keyPrefix);
    }
  }

  /** Where stories are kept. */
  public enum StoreType {
    /**
     * PostgreSQL through the application's {@code DataSource} when there is one and {@code
     * storymagic-store} is present; otherwise none.
     */
    AUTO,
    /** PostgreSQL through the application's {@code DataSource}; fails the startup without one. */
    POSTGRES,
    /** A bounded in-memory store (lost on restart). */
    MEMORY,
    /** No store: stories are returned and cached, never kept. */
    NONE
  }

  /**
   * The story store.
   *
   * @param type {@code auto} (default), {@code postgres}, {@code memory} or {@code none}
   * @param schema the PostgreSQL schema of the store's tables (default {@code
   *     PostgresConfig.DEFAULT_SCHEMA}, {@code storymagic})
   * @param migrate whether to run the store's Flyway migrations at startup (default true)
   * @param statementTimeout limit of one store statement (default {@code
   *     PostgresConfig.DEFAULT_STATEMENT_TIMEOUT}, 5 s)
   * @param auditText keep the offending text in blocked-request audit rows (default false:
   *     categories only)
   * @param memoryCapacity stories the in-memory store holds (default {@code
   *     InMemoryStoryStore.DEFAULT_CAPACITY}, 100,000)
   */
  public record Store(
      @DefaultValue("auto") StoreType type,
      String schema,
      Boolean migrate,
      Duration statementTimeout,
      @DefaultValue("false") boolean auditText,
      Integer memoryCapacity) {

    public Store {
      requirePositive("storymagic.store.statement-timeout", statementTimeout);
      requireAtLeastOne("storymagic.store.memory-capacity", memoryCapacity);
    }
  }

  /**
   * The safety policy: the defaults of {@code SafetyPolicy.defaults()}, changed per age group and
   * category. A threshold is the calibrated probability (0 exclusive to 1) from which a finding of
   * the category blocks for the age group, or {@code never}. A changed policy must have its own
   * version, since the version is part of every cache key.
   *
   * <pre>
   * storymagic.safety.policy-version=my-app-1
   * storymagic.safety.thresholds.ages-9-12.violence=0.7
   * storymagic.safety.thresholds.ages-9-12.frightening=never
   * </pre>
   *
   * @param policyVersion the version of a changed policy; required with {@code thresholds}
   * @param maxOutputAttempts stories generated for one request before an unsafe output fails it
   *     (unset: the policy's default)
   * @param thresholds per age group and category, a probability in (0, 1] or {@code never}
   */
  public record Safety(
      String policyVersion,
      Integer maxOutputAttempts,
      Map<AgeGroup, Map<SafetyCategory, String>> thresholds) {

    /** The value of a threshold property that never blocks the category. */
    public static final String NEVER = "never";

    public Safety {
      thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
      List<String> problems = new ArrayList<>();
      if (!thresholds.isEmpty() && (policyVersion == null || policyVersion.isBlank())) {
        problems.add(
            "storymagic.safety.policy-version must be set when storymagic.safety.thresholds changes the "
                + "policy: the version is part of every cache key");
      }
      thresholds.forEach(
          (age, byCategory) ->
              byCategory.forEach(
                  (category, value) -> {
                    if (!NEVER.equalsIgnoreCase(value.trim()) && probability(value).isEmpty()) {
                      problems.add(
                          "storymagic.safety.thresholds."
                              + age.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                              + "."
                              + category.label()
                              + " must be a probability in (0, 1] or 'never': "
                              + value);
                    }
                  }));
      if (maxOutputAttempts != null && maxOutputAttempts < 1) {
        problems.add(
            "storymagic.safety.max-output-attempts must be at least 1: " + maxOutputAttempts);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
    }

    /**
     * A threshold property's probability, or empty for {@code never} and for values out of range.
     */
    static java.util.OptionalDouble probability(String value) {
      try {
        double p = Double.parseDouble(value.trim());
        return p > 0 && p <= 1 ? java.util.OptionalDouble.of(p) : java.util.OptionalDouble.empty();
      } catch (NumberFormatException e) {
        return java.util.OptionalDouble.empty();
      }
    }

    /** Whether the policy differs from {@code SafetyPolicy.defaults()}. */
    public boolean customised() {
      return policyVersion != null || maxOutputAttempts != null || !thresholds.isEmpty();
    }
  }

  /**
   * The pipeline's time limits and bounds.
   *
   * @param attemptTimeout time limit of one model attempt (default {@code
   *     ResilienceSettings.DEFAULT_ATTEMPT_TIMEOUT}, 60 s)
   * @param maxAttempts model attempts per generation, retries included (default {@code
   *     ResilienceSettings.DEFAULT_MAX_ATTEMPTS}, 3)
   * @param maxConcurrentCalls concurrent model calls (the bulkhead; default {@code
   *     ResilienceSettings.DEFAULT_MAX_CONCURRENT_CALLS}, 256)
   * @param maxInFlight generations in flight through the asynchronous and streaming calls (default
   *     {@code StoryMagic.DEFAULT_MAX_IN_FLIGHT}, 4,096)
   * @param qualityPolicy what to do with a story that misses a quality check (default {@code
   *     StoryMagic}'s, {@code accept-with-flag})
   */
  public record Generation(
      Duration attemptTimeout,
      Integer maxAttempts,
      Integer maxConcurrentCalls,
      Integer maxInFlight,
      QualityPolicy qualityPolicy) {

    public Generation {
      requirePositive("storymagic.generation.attempt-timeout", attemptTimeout);
      requireAtLeastOne("storymagic.generation.max-attempts", maxAttempts);
      requireAtLeastOne("storymagic.generation.max-concurrent-calls", maxConcurrentCalls);
      if (maxInFlight != null && (maxInFlight < 1 || maxInFlight > 100_000)) {
        throw new IllegalArgumentException(
            "storymagic.generation.max-in-flight must be within 1..100000: " + maxInFlight);
      }
    }
  }

  /** A key or password as a log line may show it: whether it is set, never its value. */
  private static String secret(String value) {
    return value == null ? "none" : "***";
  }

  /** Checks a number that is set; unset, the SDK's default applies. */
  private static void requireAtLeastOne(String property, Number value) {
    if (value != null && value.longValue() < 1) {
      throw new IllegalArgumentException(property + " must be at least 1: " + value);
    }
  }

  /** Checks a duration that is set; unset, the SDK's default applies. */
  private static void requirePositive(String property, Duration value) {
    if (value != null && (value.isZero() || value.isNegative())) {
      throw new IllegalArgumentException(property + " must be positive: " + value);
    }
  }
}
