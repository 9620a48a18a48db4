package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  static Map<String, String> env(String... pairs) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** The OpenAI section of an environment with an API key and {@code pairs}. */
  private static ServerConfig.OpenAi openAi(String... pairs) {
    Map<String, String> env = env(pairs);
    env.put("OPENAI_API_KEY", "sk-test-0123456789");
    return ServerConfig.fromEnvironment(env).openAi().orElseThrow();
  }

  @Test
  void moderationDefaultsOnForOpenAiAndOffForAzureAndSelfHostedServers() {
    assertThat(openAi().moderation()).isTrue();
    assertThat(openAi("OPENAI_BASE_URL", "http://llama.internal:8080/v1").moderation())
        .as("llama.cpp, Ollama and vLLM have no /moderations endpoint")
        .isFalse();
    assertThat(openAi("OPENAI_BASE_URL", "https://kids.openai.azure.com/openai/v1").moderation())
        .isFalse();
    assertThat(
            openAi("OPENAI_BASE_URL", "http://llama.internal:8080/v1", "OPENAI_MODERATION", "true")
                .moderation())
        .isTrue();
  }

  @Test
  void anEmptyEnvironmentGivesTheEmbeddedDefaults() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of());
    assertThat(c.http().port()).isEqualTo(3000);
    assertThat(c.production()).isFalse();
    assertThat(c.database()).isEmpty();
    assertThat(c.redis()).isEmpty();
    assertThat(c.openAi()).isEmpty();
    assertThat(c.firebase()).isEmpty();
    assertThat(c.model().offlineStreamPace().toMillis()).isEqualTo(40);
    assertThat(c.layeredSafety()).isTrue();
    assertThat(c.warmUpRequests()).as("no warm-up unless asked for").isZero();
  }

  @Test
  void theWarmUpIsCountedInRequestsWithinItsBounds() {
    assertThat(ServerConfig.fromEnvironment(Map.of("WARM_UP_REQUESTS", "2000")).warmUpRequests())
        .isEqualTo(2_000);
    assertThat(
            ServerConfig.fromEnvironment(Map.of("WARM_UP_REQUESTS", "2000"))
                .withPort(0)
                .warmUpRequests())
        .isEqualTo(2_000);
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("WARM_UP_REQUESTS", "20001")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WARM_UP_REQUESTS must be within 0..20000");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("WARM_UP_REQUESTS", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WARM_UP_REQUESTS must be a whole number");
  }

  @Test
  void theLayeredSafetyFilterCanBeTurnedOff() {
    assertThat(ServerConfig.fromEnvironment(Map.of("SAFETY_LAYERED", "false")).layeredSafety())
        .isFalse();
    assertThat(
            ServerConfig.fromEnvironment(Map.of("SAFETY_LAYERED", "false"))
                .withPort(0)
                .layeredSafety())
        .isFalse();
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAFETY_LAYERED", "maybe")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SAFETY_LAYERED");
  }

  @Test
  void cleartextHttp2IsOffByDefaultAndOnlyForHttpBaseUrls() {
    assertThat(openAi().http2PriorKnowledge()).isFalse();
    assertThat(
            openAi(
                    "OPENAI_BASE_URL",
                    "http://vllm.internal:8000/v1",
                    "OPENAI_HTTP2_PRIOR_KNOWLEDGE",
                    "true")
                .http2PriorKnowledge())
        .isTrue();
    assertThatThrownBy(() -> openAi("OPENAI_HTTP2_PRIOR_KNOWLEDGE", "true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "OPENAI_HTTP2_PRIOR_KNOWLEDGE=true needs an http:// OPENAI_BASE_URL: https://api.openai.com/v1");
  }

  @Test
  void productionRefusesToStartWithoutFirebase() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("NODE_ENV", "production")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FIREBASE_CONFIG or FIREBASE_PROJECT_ID is required in production");
    assertThat(
            ServerConfig.fromEnvironment(
                    Map.of("APP_ENV", "production", "FIREBASE_PROJECT_ID", "storymagic-prod"))
                .firebase()
                .orElseThrow()
                .issuer())
        .isEqualTo("https://securetoken.google.com/storymagic-prod");
  }

  @Test
  void theTaskDefinitionsVariablesAreRead() {
    ServerConfig c =
        ServerConfig.fromEnvironment(
            env(
                "APP_ENV",
                "production",
                "PORT",
                "3000",
                "DATABASE_HOST",
                "db.internal",
                "DATABASE_PORT",
                "5433",
                "DATABASE_NAME",
                "storymagic",
                "DATABASE_CREDENTIALS",
                "{\"username\":\"app\",\"password\":\"s3cret\"}",
                "REDIS_HOST",
                "cache.internal",
                "REDIS_TLS",
                "true",
                "OPENAI_API_KEY",
                "sk-test-key",
                "FIREBASE_CONFIG",
                "{\"projectId\":\"storymagic-prod\"}",
                "CORS_ALLOWED_ORIGINS",
                "https://storymagic.example, https://admin.storymagic.example/"));
    assertThat(c.database().orElseThrow().jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:5433/storymagic");
    assertThat(c.database().orElseThrow().user()).isEqualTo("app");
    assertThat(c.database().orElseThrow().sslMode()).isEqualTo("require");
    assertThat(c.redis().orElseThrow().tls()).isTrue();
    assertThat(c.firebase().orElseThrow().projectId()).isEqualTo("storymagic-prod");
    assertThat(c.http().corsAllowedOrigins())
        .containsExactly("https://storymagic.example", "https://admin.storymagic.example");
    assertThat(c.toString()).doesNotContain("s3cret", "sk-test-key");
  }

  @Test
  void theDatabaseSecretCanBeReadAtRunTimeInsteadOfFromTheEnvironment() {
    ServerConfig c =
        ServerConfig.fromEnvironment(
            env(
                "DATABASE_HOST",
                "db.internal",
                "DATABASE_SECRET_ID",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:storymagic/database-credentials",
                "SECRETS_MANAGER_ENDPOINT",
                "https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com"));
    assertThat(c.database().orElseThrow().secretId())
        .hasValueSatisfying(id -> assertThat(id).endsWith("database-credentials"));
    assertThat(c.database().orElseThrow().secretsEndpoint()).isPresent();
    assertThatThrownBy(
            () ->
                ServerConfig.fromEnvironment(
                    env(
                        "DATABASE_HOST",
                        "db.internal",
                        "DATABASE_SECRET_ID",
                        "s",
                        "SECRETS_MANAGER_ENDPOINT",
                        "not a url")))
        .hasMessageContaining("SECRETS_MANAGER_ENDPOINT");
  }

  @Test
  void slowClientLimitsAreReadAndChecked() {
    ServerConfig defaults = ServerConfig.fromEnvironment(Map.of());
    assertThat(defaults.http().bodyReadTimeout().toSeconds()).isEqualTo(10);
    assertThat(defaults.http().maxInFlightPerUser()).isEqualTo(16);
    ServerConfig c =
        ServerConfig.fromEnvironment(
            env("BODY_READ_TIMEOUT_SECONDS", "3", "MAX_IN_FLIGHT_PER_USER", "0"));
    assertThat(c.http().bodyReadTimeout().toSeconds()).isEqualTo(3);
    assertThat(c.http().maxInFlightPerUser()).isZero();
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("BODY_READ_TIMEOUT_SECONDS", "0")))
        .hasMessageContaining("BODY_READ_TIMEOUT_SECONDS");
  }

  @Test
  void aDatabaseUrlCarriesItsCredentials() {
    ServerConfig c =
        ServerConfig.fromEnvironment(
            Map.of("DATABASE_URL", "postgres://bob:p%40ss@localhost/stories"));
    assertThat(c.database().orElseThrow().jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost:5432/stories");
    assertThat(c.database().orElseThrow().password()).isEqualTo("p@ss");
  }

  @Test
  void everyBadVariableIsNamedAtOnceAndSecretsAreNotEchoed() {
    assertThatThrownBy(
            () ->
                ServerConfig.fromEnvironment(
                    Map.of(
                        "PORT",
                        "http",
                        "RATE_LIMIT_PER_MINUTE",
                        "-1",
                        "REDIS_TLS",
                        "maybe",
                        "FIREBASE_CONFIG",
                        "{not json secret-value",
                        "DATABASE_PASSWORD",
                        "pw",
                        "OPENAI_BASE_URL",
                        "ftp://x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PORT must be a whole number")
        .hasMessageContaining("RATE_LIMIT_PER_MINUTE must be within 0..1000000")
        .hasMessageContaining("REDIS_TLS is set but REDIS_HOST is not")
        .hasMessageContaining("FIREBASE_CONFIG is not valid JSON")
        .hasMessageContaining(
            "DATABASE_PASSWORD is set but neither DATABASE_HOST nor DATABASE_URL is")
        .hasMessageContaining("OPENAI_BASE_URL must be an http(s) URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-value"));
  }
}
