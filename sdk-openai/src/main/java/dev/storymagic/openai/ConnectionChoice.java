package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import dev.storymagic.openai.internal.Endpoint;
import java.util.function.Function;

/**
 * The connection a client's builder was given: a whole {@link OpenAiConnection}, the {@code
 * apiKey(...)} and {@code baseUrl(...)} shortcuts applied on top of it, or neither (the defaults).
 * Not API: each builder keeps one and delegates to it.
 */
final class ConnectionChoice {
  private OpenAiConnection connection;
  private String apiKey;
  private String baseUrl;
  private Function<String, String> environment = System::getenv;

  void connection(OpenAiConnection connection) {
    requireNonNull(connection, "connection");
    if (this.connection != null) {
      throw new IllegalStateException("connection was already set");
    }
    this.connection = connection;
  }

  void apiKey(String apiKey) {
    Endpoint.checkApiKey(apiKey);
    if (this.apiKey != null) {
      throw new IllegalStateException("apiKey was already set");
    }
    this.apiKey = apiKey;
  }

  void baseUrl(String baseUrl) {
    Endpoint.parseBaseUrl(requireNonNull(baseUrl, "baseUrl"));
    if (this.baseUrl != null) {
      throw new IllegalStateException("baseUrl was already set");
    }
    this.baseUrl = baseUrl;
  }

  void environment(Function<String, String> environment) {
    this.environment = requireNonNull(environment, "environment");
  }

  /** Whether a connection, a key or a base URL was given. */
  boolean isSet() {
    return connection != null || apiKey != null || baseUrl != null;
  }

  /**
   * The connection given, else {@code start}, else the defaults, with the shortcuts applied; a
   * missing key is looked up in {@code OPENAI_API_KEY} only when {@code keyFromEnvironment}.
   */
  OpenAiConnection resolve(OpenAiConnection start, boolean keyFromEnvironment) {
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
