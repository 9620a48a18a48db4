package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import dev.storymagic.openai.internal.Endpoint;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * Where and how to reach an OpenAI-compatible API: the base URL, the credentials and extra headers,
 * the connect and read timeouts, and the connection pool. One value serves every client of this
 * module ({@link OpenAiStoryModel}, {@link OpenAiModerationFilter}, {@link LlamaGuardFilter},
 * {@link OpenAiIllustrator}, {@link OpenAiNarrator}); each client's builder keeps only its own
 * options and takes a connection.
 *
 * <pre>{@code
 * OpenAiConnection openAi = OpenAiConnection.custom()      // key from OPENAI_API_KEY
 *     .readTimeout(Duration.ofSeconds(30))
 *     .build();
 * OpenAiConnection ollama = OpenAiConnection.from(openAi).baseUrl("http://localhost:11434/v1").build();
 * }</pre>
 *
 * <p>Every component is checked here, once, whichever way the value is made: the canonical
 * constructor throws {@link IllegalArgumentException} naming the component and its value (never a
 * key). {@link #toString()} never shows the key. A client built from a connection opens its own
 * pool; variants made with {@link OpenAiStoryModel#newBuilder()} and filters built {@code
 * from(model)} share the model's.
 *
 * @param baseUrl the API's base URL, ending before {@code /chat/completions}, normalised
 * @param apiKey the key sent as a bearer token
 * @param organization sent as {@code OpenAI-Organization}
 * @param project sent as {@code OpenAI-Project}
 * @param headers extra headers on every request, in order (such as Azure's {@code api-key}); never
 *     logged
 * @param connectTimeout time to establish a connection and to wait for a free request slot
 * @param readTimeout longest silence while reading a response or a stream
 * @param maxConcurrentRequests requests in flight at once, streams included, per pool
 * @param maxIdleConnections idle connections kept in the pool
 * @param keepAlive how long an idle connection is kept
 * @param http2PriorKnowledge whether to speak HTTP/2 without negotiation (h2c), for a plain-http
 *     server that speaks only HTTP/2
 */
public record OpenAiConnection(
    String baseUrl,
    Optional<String> apiKey,
    Optional<String> organization,
    Optional<String> project,
    Map<String, String> headers,
    Duration connectTimeout,
    Duration readTimeout,
    int maxConcurrentRequests,
    int maxIdleConnections,
    Duration keepAlive,
    boolean http2PriorKnowledge) {

  /** OpenAI's API. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** The environment variable read when no key is given. */
  public static final String API_KEY_ENV = "OPENAI_API_KEY";

  /** Default time to establish a connection: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default longest silence while waiting for response bytes: 45 seconds. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(45);

  /** Longest connect or read timeout: 10 minutes. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  /** Default cap on requests in flight per pool: 64. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;

  /** Default idle connections kept: 16. */
  public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 16;

  /** Default time an idle connection is kept: 5 minutes. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

  private static final String OPENAI_HOST = "api.openai.com";

  /**
   * Every default; the key, unset here, is read from {@value #API_KEY_ENV} when a builder builds.
   */
  private static final OpenAiConnection DEFAULTS =
      new OpenAiConnection(
          DEFAULT_BASE_URL,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          DEFAULT_CONNECT_TIMEOUT,
          DEFAULT_READ_TIMEOUT,
          DEFAULT_MAX_CONCURRENT_REQUESTS,
          DEFAULT_MAX_IDLE_CONNECTIONS,
          DEFAULT_KEEP_ALIVE,
          false);

  /**
   * Checks every component.
   *
   * @throws IllegalArgumentException naming the first component out of range
   */
  public OpenAiConnection {
    baseUrl = Endpoint.parseBaseUrl(requireNonNull(baseUrl, "baseUrl")).toString();
    apiKey = requireNonNull(apiKey, "apiKey").map(Endpoint::checkApiKey);
    organization =
        requireNonNull(organization, "organization")
            .map(o -> Endpoint.checkHeaderValue(o, "organization"));
    project = requireNonNull(project, "project").map(p -> Endpoint.checkHeaderValue(p, "project"));
    headers = checkHeaders(requireNonNull(headers, "headers"));
    checkTimeout(connectTimeout, "connectTimeout");
    checkTimeout(readTimeout, "readTimeout");
    require(
        maxConcurrentRequests >= 1 && maxConcurrentRequests <= 10_000,
        "maxConcurrentRequests must be within 1..10000: %s",
        maxConcurrentRequests);
    require(
        maxIdleConnections >= 0 && maxIdleConnections <= 1000,
        "maxIdleConnections must be within 0..1000: %s",
        maxIdleConnections);
    requireNonNull(keepAlive, "keepAlive");
    require(
        !keepAlive.isNegative() && !keepAlive.isZero(),
        "keepAlive must be positive: %s",
        keepAlive);
    require(
        !http2PriorKnowledge || baseUrl.startsWith("http:"),
        "http2PriorKnowledge needs a plain http base URL (h2c): %s",
        baseUrl);
  }

  /** A builder with every default: OpenAI's API, the key from {@value #API_KEY_ENV}. */
  public static Builder custom() {
    return new Builder().copy(DEFAULTS);
  }

  /** A builder starting from {@code base}'s values, each of which may be changed once. */
  public static Builder from(OpenAiConnection base) {
    return new Builder().copy(requireNonNull(base, "base"));
  }

  /**
   * OpenAI's API with the key from {@value #API_KEY_ENV} and every default.
   *
   * @throws IllegalStateException if {@value #API_KEY_ENV} is not set
   */
  public static OpenAiConnection ofDefaults() {
    return custom().build();
  }

  /** Whether {@code other} asks for the same pool: same limits, keep-alive and protocol. */
  boolean samePool(OpenAiConnection other) {
    return maxConcurrentRequests == other.maxConcurrentRequests
        && maxIdleConnections == other.maxIdleConnections
        && keepAlive.equals(other.keepAlive)
        && http2PriorKnowledge == other.http2PriorKnowledge;
  }

  @Override
  public String toString() {
    return "OpenAiConnection{"
        + baseUrl
        + (apiKey.isPresent() ? ", key=***" : ", no key")
        + organization.map(o -> ", organization=" + o).orElse("")
        + project.map(p -> ", project=" + p).orElse("")
        + ", headers="
        + headers.keySet()
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", pool="
        + maxIdleConnections
        + "/"
        + keepAlive
        + (http2PriorKnowledge ? ", h2c" : "")
        + "}";
  }

  private static Map<String, String> checkHeaders(Map<String, String> headers) {
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach(
        (name, value) -> {
          requireNonNull(name, "header name");
          require(name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"), "not a valid header name: %s", name);
          require(
              !name.equalsIgnoreCase("Authorization"),
              "set the key with apiKey(...), not as a header");
          copy.put(name, Endpoint.checkHeaderValue(value, name));
        });
    return Collections.unmodifiableMap(copy);
  }

  private static void checkTimeout(Duration timeout, String name) {
    requireNonNull(timeout, name);
    require(!timeout.isNegative() && !timeout.isZero(), "%s must be positive: %s", name, timeout);
    require(
        timeout.compareTo(MAX_TIMEOUT) <= 0, "%s must be at most 10 minutes: %s", name, timeout);
  }

  private static void require(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, message, args));
    }
  }

  /**
   * Builds {@link OpenAiConnection}. Every option has a default; setting one twice is an {@link
   * IllegalStateException}; values are checked by {@link #build()}.
   */
  public static final class Builder {
    private final GivenOptions given = new GivenOptions();
    private String baseUrl;
    private String apiKey;
    private String organization;
    private String project;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout;
    private Duration readTimeout;
    private int maxConcurrentRequests;
    private int maxIdleConnections;
    private Duration keepAlive;
    private boolean http2PriorKnowledge;
    private Function<String, String> environment = System::getenv;

    private Builder() {}

    private Builder copy(OpenAiConnection c) {
      baseUrl = c.baseUrl();
      apiKey = c.apiKey().orElse(null);
      organization = c.organization().orElse(null);
      project = c.project().orElse(null);
      headers.putAll(c.headers());
      connectTimeout = c.connectTimeout();
      readTimeout = c.readTimeout();
      maxConcurrentRequests = c.maxConcurrentRequests();
      maxIdleConnections = c.maxIdleConnections();
      keepAlive = c.keepAlive();
      http2PriorKnowledge = c.http2PriorKnowledge();
      return this;
    }

    /**
     * The API's base URL, ending before {@code /chat/completions}. Default {@value
     * #DEFAULT_BASE_URL}; for Ollama {@code http://localhost:11434/v1}, for Azure OpenAI {@code
     * https://RESOURCE.openai.azure.com/openai/v1}. A key is optional for any base URL but
     * OpenAI's.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = given.set("baseUrl", baseUrl);
      return this;
    }

    /**
     * The API key, sent as a bearer token. Default the {@value #API_KEY_ENV} environment variable.
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = given.set("apiKey", apiKey);
      return this;
    }

    /** Sent as {@code OpenAI-Organization}. Default none. */
    public Builder organization(String organization) {
      this.organization = given.set("organization", organization);
      return this;
    }

    /** Sent as {@code OpenAI-Project}. Default none. */
    public Builder project(String project) {
      this.project = given.set("project", project);
      return this;
    }

    /**
     * An extra header on every request, such as Azure's {@code api-key}; each name once. Never
     * logged.
     */
    public Builder header(String name, String value) {
      requireNonNull(name, "name");
      if (headers.putIfAbsent(name, requireNonNull(value, "value")) != null) {
        throw new IllegalStateException("header " + name + " was already set");
      }
      return this;
    }

    /**
     * Time to establish a connection, and to wait for a free request slot when {@link
     * #maxConcurrentRequests} are in flight; positive, at most 10 minutes. Default 10 seconds.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = given.set("connectTimeout", timeout);
      return this;
    }

    /**
     * Longest silence while reading a response or a stream; positive, at most 10 minutes. Default
     * 45 seconds.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = given.set("readTimeout", timeout);
      return this;
    }

    /**
     * Requests in flight at once, streams included, across every client sharing the pool; 1 to
     * 10,000. A call beyond it waits up to the connect timeout for a slot. Default 64.
     */
    public Builder maxConcurrentRequests(int max) {
      given.once("maxConcurrentRequests");
      this.maxConcurrentRequests = max;
      return this;
    }

    /** Idle connections kept (0 to 1,000) and for how long (positive). Default 16 for 5 minutes. */
    public Builder connectionPool(int maxIdleConnections, Duration keepAlive) {
      given.once("connectionPool");
      this.maxIdleConnections = maxIdleConnections;
      this.keepAlive = requireNonNull(keepAlive, "keepAlive");
      return this;
    }

    /**
     * Speaks HTTP/2 without negotiation (h2c) to a plain-http server that speaks only HTTP/2, such
     * as a local inference server behind an h2c proxy. Default false: HTTP/1.1, or HTTP/2
     * negotiated by TLS.
     */
    public Builder http2PriorKnowledge(boolean enabled) {
      given.once("http2PriorKnowledge");
      this.http2PriorKnowledge = enabled;
      return this;
    }

    /** Where {@value #API_KEY_ENV} is looked up, for tests in this package. */
    Builder environment(Function<String, String> environment) {
      this.environment = requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Builds the connection; without a key, the {@value #API_KEY_ENV} environment variable's.
     *
     * @throws IllegalArgumentException naming an option out of range
     * @throws IllegalStateException if no key is configured for OpenAI's own API
     */
    public OpenAiConnection build() {
      String key = apiKey;
      if (key == null) {
        String env = environment.apply(API_KEY_ENV);
        key = env == null || env.isBlank() ? null : env.strip();
      }
      OpenAiConnection connection =
          new OpenAiConnection(
              baseUrl,
              Optional.ofNullable(key),
              Optional.ofNullable(organization),
              Optional.ofNullable(project),
              headers,
              connectTimeout,
              readTimeout,
              maxConcurrentRequests,
              maxIdleConnections,
              keepAlive,
              http2PriorKnowledge);
      if (key == null && OPENAI_HOST.equals(HttpUrl.get(connection.baseUrl()).host())) {
        throw new IllegalStateException(
            "no API key for " + connection.baseUrl() + ": set apiKey(...) or " + API_KEY_ENV);
      }
      return connection;
    }
  }
}
