package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigSectionsTest {

  @Test
  void httpBuilder_defaultsAreTheDocumentedConstants() {
    ServerConfig.Http http = ServerConfig.Http.builder().build();
    assertThat(http).isEqualTo(ServerConfig.defaults().http());
    assertThat(http.host()).isEqualTo("0.0.0.0");
    assertThat(http.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    assertThat(http.corsAllowedOrigins()).isEmpty();
    assertThat(http.maxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(http.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(http.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(http.rateLimitPerMinute()).isEqualTo(30);
    assertThat(http.maxInFlightPerUser()).isEqualTo(16);
  }

  @Test
  void httpBuilder_rejectsAnOptionSetTwiceAndABadPort() {
    assertThatThrownBy(() -> ServerConfig.Http.builder().port(1).port(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port was already set");
    assertThatThrownBy(() -> ServerConfig.Http.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be within 0..65535: 70000");
  }

  @Test
  void sections_holdWhatTheEnvironmentSays() {
    ServerConfig c =
        ServerConfig.fromEnvironment(
            Map.of(
                "HOST",
                "127.0.0.1",
                "PORT",
                "8080",
                "MODEL_MAX_CONCURRENCY",
                "12",
                "MODEL_TIMEOUT_SECONDS",
                "20",
                "OFFLINE_STREAM_PACE_MS",
                "0",
                "EMF_ENABLED",
                "false",
                "METRICS_FLUSH_SECONDS",
                "5",
                "SHUTDOWN_GRACE_SECONDS",
                "7",
                "RATE_LIMIT_PER_MINUTE",
                "0",
                "MEMORY_STORE_CAPACITY",
                "10"));
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().shutdownGrace()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.http().rateLimitPerMinute()).isZero();
    assertThat(c.model())
        .isEqualTo(new ServerConfig.Model(12, Duration.ofSeconds(20), Duration.ZERO));
    assertThat(c.metrics()).isEqualTo(new ServerConfig.Metrics(false, Duration.ofSeconds(5)));
    assertThat(c.memoryStoreCapacity()).isEqualTo(10);
  }

  @Test
  void defaults_ofEverySection() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.environment()).isEqualTo("development");
    assertThat(c.model())
        .isEqualTo(new ServerConfig.Model(256, Duration.ofSeconds(60), Duration.ofMillis(40)));
    assertThat(c.metrics()).isEqualTo(new ServerConfig.Metrics(true, Duration.ofSeconds(60)));
    assertThat(c.memoryStoreCapacity()).isEqualTo(100_000);
    assertThat(c.assets().bucket()).isEmpty();
    assertThat(c.assets().maxScenes()).isEqualTo(3);
    assertThat(c.tracing()).isEqualTo(TracingConfig.OFF);
  }

  @Test
  void withPort_copiesEverythingElse() {
    ServerConfig c =
        ServerConfig.fromEnvironment(
            Map.of(
                "CORS_ALLOWED_ORIGINS",
                "https://a.example",
                "MODEL_TIMEOUT_SECONDS",
                "9",
                "REDIS_HOST",
                "cache.internal"));
    ServerConfig moved = c.withPort(0);
    assertThat(moved.http().port()).isZero();
    assertThat(moved.http().corsAllowedOrigins()).isEqualTo(List.of("https://a.example"));
    assertThat(moved).usingRecursiveComparison().ignoringFields("http.port").isEqualTo(c);
    assertThatThrownBy(() -> c.withPort(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be within 0..65535: -1");
  }

  @Test
  void databaseCredentials_variablesWinOverTheSecretJsonWhichWinsOverTheUrl() {
    String url = "postgres://url-user:url-pass@db.internal:5433/stories";
    ServerConfig.Database fromUrl =
        ServerConfig.fromEnvironment(Map.of("DATABASE_URL", url)).database().orElseThrow();
    assertThat(fromUrl.user()).isEqualTo("url-user");
    assertThat(fromUrl.password()).isEqualTo("url-pass");
    ServerConfig.Database fromSecret =
        ServerConfig.fromEnvironment(
                Map.of(
                    "DATABASE_URL",
                    url,
                    "DATABASE_CREDENTIALS",
                    "{\"username\":\"secret-user\",\"password\":\"secret-pass\"}"))
            .database()
            .orElseThrow();
    assertThat(fromSecret.user()).isEqualTo("secret-user");
    assertThat(fromSecret.password()).isEqualTo("secret-pass");
    ServerConfig.Database fromVariables =
        ServerConfig.fromEnvironment(
                Map.of(
                    "DATABASE_URL",
                    url,
                    "DATABASE_CREDENTIALS",
                    "{\"username\":\"secret-user\",\"password\":\"secret-pass\"}",
                    "DATABASE_USER",
                    "var-user"))
            .database()
            .orElseThrow();
    assertThat(fromVariables.user()).isEqualTo("var-user");
    assertThat(fromVariables.password()).isEqualTo("secret-pass");
    assertThat(fromVariables.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/stories");
  }

  @Test
  void endpoints_areCheckedAlike() {
    assertThatThrownBy(
            () ->
                ServerConfig.fromEnvironment(
                    Map.of(
                        "STORAGE_ENDPOINT",
                        "ftp://s3.local",
                        "DATABASE_HOST",
                        "db.internal",
                        "DATABASE_USER",
                        "app",
                        "SECRETS_MANAGER_ENDPOINT",
                        "not a url")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STORAGE_ENDPOINT must be an http(s) URL")
        .hasMessageContaining("SECRETS_MANAGER_ENDPOINT must be an http(s) URL");
  }
}
