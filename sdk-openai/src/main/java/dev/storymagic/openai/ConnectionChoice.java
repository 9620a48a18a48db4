package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import dev.storymagic.openai.internal.Endpoint;
import dev.storymagic.openai.internal.HttpTransport;
import java.time.Duration;
import java.util.function.Function;

/**
 * What every client's builder shares: the connection it was given, the {@code apiKey(...)} and
 * {@code baseUrl(...)} shortcuts applied on top of it (or of the defaults), the rule that an option
 * is set once, and the checks of option values. Not API: each client's {@code Builder} extends it.
 *
 * @param <B> the builder, returned by each option for chaining
 */
abstract class ConnectionChoice<B extends ConnectionChoice<B>> {
  private final GivenOptions given = new GivenOptions();
  private OpenAiConnection connection;
  private String apiKey;
  private String baseUrl;
  private Function<String, String> environment = System::getenv;

  /** Makes a client on a connection and its share of a pool. */
  interface Client<C> {
    C open(OpenAiConnection connection, HttpTransport transport);
  }

  ConnectionChoice() {}

  /**
   * This builder as its own type: each subclass is declared {@code X extends ConnectionChoice<X>}.
   */
  @SuppressWarnings("unchecked")
  final B self() {
    return (B) this;
  }

  /**
   * Where and how to call the API: base URL, credentials, headers, connect and read timeouts,
   * request limit and connection pool. Default {@link OpenAiConnection#custom()}'s: OpenAI's API
   * with the key from {@code OPENAI_API_KEY}.
   */
  public B connection(OpenAiConnection connection) {
    requireNonNull(connection, "connection");
    once("connection");
    this.connection = connection;
    return self();
  }

  /**
   * Shortcut for the connection's {@link OpenAiConnection.Builder#apiKey apiKey}, applied over
   * {@link #connection}.
   */
  public B apiKey(String apiKey) {
    Endpoint.checkApiKey(apiKey);
    once("apiKey");
    this.apiKey = apiKey;
    return self();
  }

  /**
   * Shortcut for the connection's {@link OpenAiConnection.Builder#baseUrl baseUrl}, applied over
   * {@link #connection}.
   */
  public B baseUrl(String baseUrl) {
    Endpoint.parseBaseUrl(requireNonNull(baseUrl, "baseUrl"));
    once("baseUrl");
    this.baseUrl = baseUrl;
    return self();
  }

  /** Where {@code OPENAI_API_KEY} is looked up, for tests in this package. */
  B environment(Function<String, String> environment) {
    this.environment = requireNonNull(environment, "environment");
    return self();
  }

  /**
   * Marks {@code option} as set.
   *
   * @throws IllegalStateException "{@code option} was already set" the second time
   */
  final void once(String option) {
    given.once(option);
  }

  /**
   * Marks {@code option} as set and returns its {@code value}.
   *
   * @throws IllegalStateException "{@code option} was already set" the second time
   * @throws NullPointerException naming the option when {@code value} is null
   */
  final <T> T set(String option, T value) {
    return given.set(option, value);
  }

  /** Whether a connection, a key or a base URL was given. */
  boolean connectionIsSet() {
    return connection != null || apiKey != null || baseUrl != null;
  }

  /**
   * The connection given, else {@code start}, else the defaults, with the shortcuts applied; a
   * missing key is looked up in {@code OPENAI_API_KEY} only when {@code keyFromEnvironment}.
   */
  OpenAiConnection resolveConnection(OpenAiConnection start, boolean keyFromEnvironment) {
    OpenAiConnection base = connection != null ? connection : start;
    OpenAiConnection.Builder b =
        base != null ? OpenAiConnection.from(base) : OpenAiConnection.custom();
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    }
    return b.environment(keyFromEnvironment ? environment : name -> null).build();
  }

  /** A client on the {@linkplain #resolveConnection resolved} connection and a pool of its own. */
  final <C> C openOwnPool(boolean keyFromEnvironment, Client<C> client) {
    OpenAiConnection resolved = resolveConnection(null, keyFromEnvironment);
    return client.open(resolved, HttpTransport.create(resolved));
  }

  /** {@code duration}, checked positive. */
  static Duration positive(Duration duration, String name) {
    requireNonNull(duration, name);
    require(!duration.isNegative() && !duration.isZero(), name + " must be positive: " + duration);
    return duration;
  }

  /** {@code duration}, checked positive and at most {@code max} (a whole number of minutes). */
  static Duration positiveAtMost(Duration duration, String name, Duration max) {
    positive(duration, name);
    long minutes = max.toMinutes();
    require(
        duration.compareTo(max) <= 0,
        name
            + " must be at most "
            + minutes
            + (minutes == 1 ? " minute: " : " minutes: ")
            + duration);
    return duration;
  }

  /**
   * Checks an option's value.
   *
   * @throws IllegalArgumentException with {@code message} unless {@code condition}
   */
  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
