package dev.storymagic.openai.internal;

import dev.storymagic.openai.OpenAiConnection;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Where and as whom to call an OpenAI-compatible API: the base URL (such as {@code
 * https://api.openai.com/v1}), the API key, and the optional organisation, project and extra
 * headers. {@link #toString()} never shows the key.
 */
public record Endpoint(
    HttpUrl baseUrl,
    Optional<String> apiKey,
    Optional<String> organization,
    Optional<String> project,
    Map<String, String> extraHeaders) {

  public Endpoint {
    extraHeaders = Map.copyOf(extraHeaders);
  }

  /** The request template of {@code connection}. */
  public static Endpoint of(OpenAiConnection connection) {
    return new Endpoint(
        HttpUrl.get(connection.baseUrl()),
        connection.apiKey(),
        connection.organization(),
        connection.project(),
        connection.headers());
  }

  /** {@code baseUrl} with {@code path} (such as {@code "chat/completions"}) appended. */
  public HttpUrl url(String path) {
    HttpUrl.Builder b = baseUrl.newBuilder();
    for (String segment : path.split("/")) {
      b.addPathSegment(segment);
    }
    return b.build();
  }

  /** A request to {@code path} carrying the credentials and the configured headers. */
  public Request.Builder request(String path) {
    Request.Builder b = new Request.Builder().url(url(path));
    apiKey.ifPresent(key -> b.header("Authorization", "Bearer " + key));
    organization.ifPresent(org -> b.header("OpenAI-Organization", org));
    project.ifPresent(p -> b.header("OpenAI-Project", p));
    extraHeaders.forEach(b::header);
    b.header("Accept", "application/json");
    return b;
  }

  /**
   * Checks an API key: not blank, printable ASCII without spaces (it becomes a bearer header).
   *
   * @throws IllegalArgumentException naming the problem, never echoing the key
   */
  public static String checkApiKey(String apiKey) {
    java.util.Objects.requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey cannot be blank");
    }
    if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException("apiKey contains whitespace or control characters");
    }
    return apiKey;
  }

  /**
   * Checks a header value such as the organisation or project: not blank, no control characters.
   */
  public static String checkHeaderValue(String value, String name) {
    java.util.Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " cannot be blank");
    }
    if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
      throw new IllegalArgumentException(name + " contains characters not allowed in a header");
    }
    return value;
  }

  /** Parses a configured base URL (only http and https); a trailing slash is fine either way. */
  public static HttpUrl parseBaseUrl(String baseUrl) {
    HttpUrl url = HttpUrl.parse(baseUrl.strip());
    if (url == null) {
      throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
    }
    if (url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException("baseUrl cannot carry a query or fragment: " + baseUrl);
    }
    return url;
  }

  @Override
  public String toString() {
    return "Endpoint{"
        + baseUrl
        + (apiKey.isPresent() ? ", key=***" : ", no key")
        + organization.map(o -> ", organization=" + o).orElse("")
        + project.map(p -> ", project=" + p).orElse("")
        + ", headers="
        + extraHeaders.keySet()
        + "}";
  }
}
