package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import dev.storymagic.openai.internal.Endpoint;
import java.util.function.Function;

/**
 * What every client's builder shares: the connection it was given, and the {@code apiKey(...)}
 * and {@code baseUrl(...)} shortcuts applied on top of it (or of the defaults). Not API: each
 * client's {@code Builder} extends it.
 *
 * @param <B> the builder, returned by each option for chaining
 */
abstract class ConnectionChoice<B extends ConnectionChoice<B>> {
  private OpenAiConnection connection;
  private String apiKey;
  private String baseUrl;
  private Function<String, String> environment = System::getenv;

  ConnectionChoice() {}

  abstract B self();

  /**
   * Where and how to call the API: base URL, credentials, headers, connect and read timeouts,
   * request limit and connection pool. Default {@link OpenAiConnection#custom()}'s: OpenAI's API
   * with the key from {@code OPENAI_API_KEY}.
   */
  public B connection(OpenAiConnection connection) {
    requireNonNull(connection, "connection");
    if (this.connection != null) {
      throw new IllegalStateException("connection was already set");
    }
    this.connection = connection;
    return self();
  }

  /** Shortcut for the connection's {@link OpenAiConnection.Builder#apiKey apiKey}, applied over {@link #connection}. */
  public B apiKey(String apiKey) {
    Endpoint.checkApiKey(apiKey);
    if (this.apiKey != null) {
      throw new IllegalStateException("apiKey was already set");
    }
    this.apiKey = apiKey;
    return self();
  }

  /** Shortcut for the connection's {@link OpenAiConnection.Builder#baseUrl baseUrl}, applied over {@link #connection}. */
  public B baseUrl(String baseUrl) {
    Endpoint.parseBaseUrl(requireNonNull(baseUrl, "baseUrl"));
    if (this.baseUrl != null) {
      throw new IllegalStateException("baseUrl was already set");
    }
    this.baseUrl = baseUrl;
    return self();
  }

  /** Where {@code OPENAI_API_KEY} is looked up, for tests in this package. */
  B environment(Function<String, String> environment) {
    this.environment = requireNonNull(environment, "environment");
    return self();
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
    OpenAiConnection.Builder b = base != null ? OpenAiConnection.from(base) : OpenAiConnection.custom();
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    }
    return b.environment(keyFromEnvironment ? environment : name -> null).build();
  }
}
