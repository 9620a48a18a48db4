package dev.storymagic.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiConnectionTest {
  private static OpenAiConnection.Builder local() {
    return OpenAiConnection.custom().baseUrl("http://127.0.0.1:1/v1").environment(name -> null);
  }

  @Test
  void defaults_areTheDocumentedConstants() {
    OpenAiConnection c =
        OpenAiConnection.custom()
            .environment(Map.of("OPENAI_API_KEY", " sk-env-0123456789 ")::get)
            .build();
    assertThat(c.baseUrl()).isEqualTo(OpenAiConnection.DEFAULT_BASE_URL);
    assertThat(c.apiKey()).contains("sk-env-0123456789");
    assertThat(c.organization()).isEmpty();
    assertThat(c.project()).isEmpty();
    assertThat(c.headers()).isEmpty();
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.maxConcurrentRequests()).isEqualTo(64);
    assertThat(c.maxIdleConnections()).isEqualTo(16);
    assertThat(c.keepAlive()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.http2PriorKnowledge()).isFalse();
  }

  @Test
  void openAiWithoutKey_isRejected() {
    assertThatThrownBy(() -> OpenAiConnection.custom().environment(name -> null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no API key for https://api.openai.com/v1: set apiKey(...) or OPENAI_API_KEY");
    assertThat(local().build().apiKey()).as("a key is optional for other servers").isEmpty();
  }

  @Test
  void from_copiesEveryValueAndAllowsEachToChangeOnce() {
    OpenAiConnection base =
        local()
            .apiKey("sk-base-0123456789")
            .organization("org-a")
            .project("proj-a")
            .header("api-key", "azure")
            .connectTimeout(Duration.ofSeconds(3))
            .readTimeout(Duration.ofSeconds(4))
            .maxConcurrentRequests(5)
            .connectionPool(2, Duration.ofSeconds(30))
            .http2PriorKnowledge(true)
            .build();

    assertThat(OpenAiConnection.from(base).build()).isEqualTo(base);
    OpenAiConnection changed =
        OpenAiConnection.from(base)
            .readTimeout(Duration.ofSeconds(9))
            .apiKey("sk-other-0123456789")
            .build();
    assertThat(changed.readTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(changed.apiKey()).contains("sk-other-0123456789");
    assertThat(changed)
        .usingRecursiveComparison()
        .ignoringFields("readTimeout", "apiKey")
        .isEqualTo(base);
    assertThatThrownBy(() -> OpenAiConnection.from(base).header("api-key", "again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("header api-key was already set");
  }

  @Test
  void optionSetTwice_isRejected() {
    assertThatThrownBy(
            () -> local().readTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("readTimeout was already set");
    assertThatThrownBy(() -> local().maxConcurrentRequests(1).maxConcurrentRequests(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxConcurrentRequests was already set");
  }

  @Test
  void badValues_areRejectedNamingTheValue() {
    assertThatThrownBy(() -> local().readTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readTimeout must be positive: PT0S");
    assertThatThrownBy(() -> local().connectTimeout(Duration.ofMinutes(11)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be at most 10 minutes: PT11M");
    assertThatThrownBy(() -> local().maxConcurrentRequests(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentRequests must be within 1..10000: 0");
    assertThatThrownBy(() -> local().connectionPool(1001, Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxIdleConnections must be within 0..1000: 1001");
    assertThatThrownBy(() -> local().connectionPool(1, Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepAlive must be positive: PT0S");
    assertThatThrownBy(() -> OpenAiConnection.custom().baseUrl("ftp://example.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl is not an http(s) URL: ftp://example.com");
    assertThatThrownBy(() -> local().apiKey("sk-with space").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("sk-with");
    assertThatThrownBy(() -> local().organization("org\nInjected: yes").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("organization contains characters not allowed in a header");
    assertThatThrownBy(() -> local().header("Authorization", "x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiKey");
    assertThatThrownBy(() -> local().header("bad name", "x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid header name: bad name");
    assertThatThrownBy(() -> local().readTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("readTimeout");
  }

  @Test
  void h2c_needsAPlainHttpBaseUrl() {
    assertThat(local().http2PriorKnowledge(true).build().http2PriorKnowledge()).isTrue();
    assertThatThrownBy(
            () ->
                OpenAiConnection.custom()
                    .apiKey("sk-test-0123456789")
                    .http2PriorKnowledge(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "http2PriorKnowledge needs a plain http base URL (h2c): https://api.openai.com/v1");
  }

  @Test
  void canonicalConstructor_checksLikeTheBuilder() {
    assertThatThrownBy(
            () ->
                new OpenAiConnection(
                    "http://127.0.0.1:1/v1",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    0,
                    1,
                    Duration.ofMinutes(1),
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentRequests must be within 1..10000: 0");
  }

  @Test
  void toString_neverShowsTheKey() {
    OpenAiConnection c =
        local().apiKey("sk-secret-0123456789").header("api-key", "azure-secret").build();
    assertThat(c.toString()).contains("key=***", "api-key").doesNotContain("secret");
  }

  @Test
  void everyClient_takesTheConnection() {
    OpenAiConnection c = local().apiKey("sk-test-0123456789").maxConcurrentRequests(3).build();
    try (OpenAiStoryModel model = OpenAiStoryModel.builder().connection(c).build();
        OpenAiModerationFilter moderation = OpenAiModerationFilter.builder().connection(c).build();
        LlamaGuardFilter guard = LlamaGuardFilter.builder().connection(c).build();
        OpenAiIllustrator illustrator = OpenAiIllustrator.builder().connection(c).build();
        OpenAiNarrator narrator = OpenAiNarrator.builder().connection(c).build()) {
      assertThat(model.connection()).isEqualTo(c);
      assertThat(model.transport().maxConcurrentRequests()).isEqualTo(3);
      assertThat(moderation.name()).isEqualTo("openai-moderation");
      assertThat(guard.version()).startsWith("llama-guard:");
    }
  }
}
