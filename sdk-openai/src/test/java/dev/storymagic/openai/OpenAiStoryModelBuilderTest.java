package dev.storymagic.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiStoryModelBuilderTest {
  private static OpenAiStoryModel.Builder local() {
    return OpenAiStoryModel.builder().baseUrl("http://127.0.0.1:1/v1").environment(name -> null);
  }

  @Test
  void id_isProviderAndModel() {
    try (OpenAiStoryModel model = local().model("gpt-4.1-mini").build()) {
      assertThat(model.id()).isEqualTo("openai:gpt-4.1-mini");
      assertThat(model.model()).isEqualTo("gpt-4.1-mini");
    }
  }

  @Test
  void defaults_areDocumented() {
    try (OpenAiStoryModel model = local().build()) {
      assertThat(model.model()).isEqualTo(OpenAiStoryModel.DEFAULT_MODEL);
      assertThat(OpenAiStoryModel.DEFAULT_CALL_TIMEOUT)
          .as("the HTTP call ends before the pipeline's default attempt limit")
          .isLessThan(dev.storymagic.ResilienceSettings.DEFAULT_ATTEMPT_TIMEOUT);
    }
  }

  @Test
  void openAiWithoutKey_isRejected() {
    assertThatThrownBy(() -> OpenAiStoryModel.builder().environment(name -> null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no API key for https://api.openai.com/v1: set apiKey(...) or OPENAI_API_KEY");
  }

  @Test
  void keyFromEnvironment_isUsedAndNeverShown() {
    try (OpenAiStoryModel model =
        OpenAiStoryModel.builder()
            .environment(Map.of("OPENAI_API_KEY", "sk-from-env-secret")::get)
            .build()) {
      assertThat(model.toString()).contains("key=***").doesNotContain("secret");
      assertThat(model.endpoint().apiKey()).contains("sk-from-env-secret");
    }
  }

  @Test
  void tokenLimitField_defaultsByBaseUrlAndCanBeSet() {
    assertThat(TokenLimitField.forBaseUrl("https://api.openai.com/v1"))
        .isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
    assertThat(TokenLimitField.forBaseUrl("https://kids.openai.azure.com/openai/v1"))
        .isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
    assertThat(TokenLimitField.forBaseUrl("http://localhost:11434/v1"))
        .isEqualTo(TokenLimitField.MAX_TOKENS);
    assertThat(TokenLimitField.forBaseUrl("http://vllm.internal:8000/v1"))
        .isEqualTo(TokenLimitField.MAX_TOKENS);
    try (OpenAiStoryModel local =
            OpenAiStoryModel.builder().baseUrl("http://localhost:8080/v1").build();
        OpenAiStoryModel explicit =
            OpenAiStoryModel.builder()
                .baseUrl("http://localhost:8080/v1")
                .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
                .build();
        OpenAiStoryModel openAi = OpenAiStoryModel.builder().apiKey("sk-test-0123456789").build()) {
      assertThat(local.tokenLimitField()).isEqualTo(TokenLimitField.MAX_TOKENS);
      assertThat(explicit.tokenLimitField()).isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
      assertThat(openAi.tokenLimitField()).isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
    }
  }

  @Test
  void outputTokenLimit_isSizedFromTheBandAndCappedByMaxOutputTokens() {
    try (OpenAiStoryModel sized =
            OpenAiStoryModel.builder().baseUrl("http://localhost:8080/v1").build();
        OpenAiStoryModel capped =
            OpenAiStoryModel.builder()
                .baseUrl("http://localhost:8080/v1")
                .maxOutputTokens(200)
                .build();
        OpenAiStoryModel reasoning =
            OpenAiStoryModel.builder()
                .baseUrl("http://localhost:8080/v1")
                .outputTokensPerWord(10)
                .build()) {
      assertThat(sized.outputTokenLimit(OpenAiStub.modelRequest())).isEqualTo(2 * 300 + 100);
      assertThat(capped.outputTokenLimit(OpenAiStub.modelRequest())).isEqualTo(200);
      assertThat(reasoning.outputTokenLimit(OpenAiStub.modelRequest())).isEqualTo(3100);
    }
    assertThatThrownBy(() -> OpenAiStoryModel.builder().outputTokensPerWord(0.5))
        .hasMessage("outputTokensPerWord must be within 1..50: 0.5");
  }

  @Test
  void optionSetTwice_isRejected() {
    assertThatThrownBy(() -> local().model("a").model("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model was already set");
    assertThatThrownBy(
            () -> local().callTimeout(Duration.ofSeconds(1)).callTimeout(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("callTimeout was already set");
    assertThatThrownBy(() -> local().apiKey("sk-one-0123456789").apiKey("sk-two-0123456789"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("apiKey was already set");
  }

  @Test
  void badValues_areRejectedNamingTheValue() {
    assertThatThrownBy(() -> local().temperature(2.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature must be within 0..2: 2.5");
    assertThatThrownBy(() -> local().maxOutputTokens(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxOutputTokens must be within 1..1000000: 0");
    assertThatThrownBy(() -> local().callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeout must be positive: PT0S");
    assertThatThrownBy(() -> local().callTimeout(Duration.ofMinutes(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeout must be at most 10 minutes: PT11M");
    assertThatThrownBy(() -> OpenAiStoryModel.builder().baseUrl("ftp://example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl is not an http(s) URL: ftp://example.com");
    assertThatThrownBy(() -> local().apiKey("sk-with space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("sk-with");
    assertThatThrownBy(() -> local().model(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("model");
  }

  @Test
  void variant_sharesTransportAndKeepsParentSettings() {
    try (OpenAiStoryModel parent = local().apiKey("sk-parent-key").model("gpt-4o").build();
        OpenAiStoryModel variant =
            parent
                .newBuilder()
                .model("gpt-4o-mini")
                .connection(
                    OpenAiConnection.from(parent.connection())
                        .readTimeout(Duration.ofSeconds(5))
                        .build())
                .build()) {
      assertThat(variant.transport()).isSameAs(parent.transport());
      assertThat(variant.id()).isEqualTo("openai:gpt-4o-mini");
      assertThat(variant.endpoint()).isEqualTo(parent.endpoint());
      assertThat(variant.connection().readTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(variant.connection().apiKey()).contains("sk-parent-key");
    }
  }

  @Test
  void variant_cannotChangeThePool() {
    try (OpenAiStoryModel parent = local().build()) {
      OpenAiConnection smaller =
          OpenAiConnection.from(parent.connection()).maxConcurrentRequests(8).build();
      assertThatThrownBy(() -> parent.newBuilder().connection(smaller).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("shares its model's connection pool");
    }
  }

  @Test
  void variant_mayChangeTheKeyWithTheShortcut() {
    try (OpenAiStoryModel parent = local().apiKey("sk-parent-key").build();
        OpenAiStoryModel variant = parent.newBuilder().apiKey("sk-variant-key").build()) {
      assertThat(variant.connection().apiKey()).contains("sk-variant-key");
      assertThat(variant.baseUrl()).isEqualTo(parent.baseUrl());
      assertThat(variant.transport()).isSameAs(parent.transport());
    }
  }

  @Test
  void shortcuts_applyOverTheConnection() {
    OpenAiConnection shared =
        OpenAiConnection.custom()
            .baseUrl("http://127.0.0.1:1/v1")
            .organization("org-kids")
            .readTimeout(Duration.ofSeconds(7))
            .build();
    try (OpenAiStoryModel model =
        OpenAiStoryModel.builder().connection(shared).apiKey("sk-own-0123456789").build()) {
      assertThat(model.connection().apiKey()).contains("sk-own-0123456789");
      assertThat(model.connection().organization()).contains("org-kids");
      assertThat(model.connection().readTimeout()).isEqualTo(Duration.ofSeconds(7));
    }
    assertThatThrownBy(() -> OpenAiStoryModel.builder().connection(shared).connection(shared))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connection was already set");
  }

  @Test
  void transport_isReleasedWhenTheLastUserCloses() {
    OpenAiStoryModel parent = local().build();
    OpenAiStoryModel variant = parent.newBuilder().model("other").build();

    parent.close();
    parent.close();
    assertThat(variant.transport().isClosed()).as("the variant still uses it").isFalse();
    variant.close();
    assertThat(variant.transport().isClosed()).isTrue();
    assertThatThrownBy(() -> variant.generate(OpenAiStub.modelRequest()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("openai:other is closed");
  }
}
