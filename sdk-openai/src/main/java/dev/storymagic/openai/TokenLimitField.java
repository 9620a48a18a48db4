package dev.storymagic.openai;

import okhttp3.HttpUrl;

/**
 * The request field that caps a story's output tokens. OpenAI and Azure OpenAI read {@code
 * max_completion_tokens} (and reject {@code max_tokens} for reasoning models); Ollama, vLLM,
 * llama.cpp's server and most other OpenAI-compatible servers read only {@code max_tokens} and
 * ignore the other, generating until their context is full.
 */
public enum TokenLimitField {
  /** {@code max_completion_tokens}: OpenAI and Azure OpenAI. */
  MAX_COMPLETION_TOKENS("max_completion_tokens"),
  /** {@code max_tokens}: Ollama, vLLM, llama.cpp's server and other self-hosted servers. */
  MAX_TOKENS("max_tokens");

  private final String wireName;

  TokenLimitField(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON field name. */
  public String wireName() {
    return wireName;
  }

  /**
   * The field a server at {@code baseUrl} reads: {@link #MAX_COMPLETION_TOKENS} for {@code
   * api.openai.com} and Azure OpenAI ({@code *.openai.azure.com}, {@code
   * *.cognitiveservices.azure.com}), {@link #MAX_TOKENS} for any other host.
   */
  public static TokenLimitField forBaseUrl(String baseUrl) {
    HttpUrl url = HttpUrl.parse(baseUrl);
    String host = url == null ? "" : url.host();
    boolean openAi =
        host.equals("api.openai.com")
            || host.endsWith(".openai.azure.com")
            || host.endsWith(".cognitiveservices.azure.com");
    return openAi ? MAX_COMPLETION_TOKENS : MAX_TOKENS;
  }
}
