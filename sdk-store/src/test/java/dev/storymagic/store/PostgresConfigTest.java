package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

  @Test
  void defaultsFitFourTasksInTheSeedsTwoHundredConnections() {
    PostgresConfig c = PostgresConfig.builder().host("db.example").build();
    assertThat(c.maxPoolSize() * 4).isLessThan(180);
    assertThat(c.maxPoolSize()).isEqualTo(40);
    assertThat(c.minIdle()).isEqualTo(2);
    assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.schema()).isEqualTo("storymagic");
    assertThat(c.auditText()).isFalse();
    assertThat(c.migrate()).isTrue();
  }

  @Test
  void hostPortAndDatabaseMakeTheJdbcUrl() {
    PostgresConfig c =
        PostgresConfig.builder().host("db.example").port(6543).database("stories").build();
    assertThat(c.effectiveJdbcUrl()).contains("jdbc:postgresql://db.example:6543/stories");
    assertThat(PostgresConfig.builder().host("::1").build().effectiveJdbcUrl())
        .contains("jdbc:postgresql://[::1]:5432/postgres");
  }

  @Test
  void jdbcUrlAndHostAreExclusive() {
    assertThatThrownBy(
            () -> PostgresConfig.builder().jdbcUrl("jdbc:postgresql://a/b").host("c").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("either jdbcUrl or host");
    assertThatThrownBy(() -> PostgresConfig.builder().database("x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port and database need a host");
  }

  @Test
  void jdbcUrl_negative() {
    assertThatThrownBy(() -> PostgresConfig.builder().jdbcUrl("jdbc:mysql://a/b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void option_twice() {
    assertThatThrownBy(() -> PostgresConfig.builder().maxPoolSize(5).maxPoolSize(6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxPoolSize was already set");
    assertThatThrownBy(() -> PostgresConfig.builder().password("a").password("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("password was already set");
  }

  @Test
  void numericOptions_negative() {
    assertThatThrownBy(() -> PostgresConfig.builder().maxPoolSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPoolSize must be within 1..200: 0");
    assertThatThrownBy(() -> PostgresConfig.builder().host("h").port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be within 1..65535: 70000");
    assertThatThrownBy(
            () -> PostgresConfig.builder().connectionTimeout(Duration.ofMillis(10)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 250 ms");
    assertThatThrownBy(
            () -> PostgresConfig.builder().statementTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero or at least 1 ms");
    assertThatThrownBy(() -> PostgresConfig.builder().maxPoolSize(4).minIdle(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minIdle (5) cannot exceed maxPoolSize (4)");
  }

  @Test
  void schemaMustBeAPlainIdentifier() {
    assertThatThrownBy(() -> PostgresConfig.builder().schema("x\"; drop table story; --").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower-case identifier");
    assertThatThrownBy(() -> PostgresConfig.builder().schema("pg_catalog").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PostgresConfig.builder().schema("sm_1").build().schema()).isEqualTo("sm_1");
  }

  @Test
  void sslOptions() {
    assertThatThrownBy(() -> PostgresConfig.builder().sslMode("yes").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslMode must be one of");
    assertThatThrownBy(
            () ->
                PostgresConfig.builder().sslRootCert(Path.of("/ca.pem")).sslMode("require").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verify-ca or verify-full");
    PostgresConfig c =
        PostgresConfig.builder()
            .host("h")
            .sslMode("verify-full")
            .sslRootCert(Path.of("/ca.pem"))
            .build();
    assertThat(c.sslMode()).contains("verify-full");
  }

  @Test
  void toStringNeverShowsThePassword() {
    PostgresConfig c = PostgresConfig.builder().host("h").user("app").password("s3cr3t").build();
    assertThat(c.toString())
        .doesNotContain("s3cr3t")
        .contains("password=****")
        .contains("user=app");
    PostgresConfig url =
        PostgresConfig.builder().jdbcUrl("jdbc:postgresql://h/db?password=s3cr3t").build();
    assertThat(url.toString()).doesNotContain("s3cr3t");
    assertThat(url.describeTarget()).isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void fromStartsFromAValueAndChangesEachOptionOnce() {
    PostgresConfig base =
        PostgresConfig.custom()
            .host("db.example")
            .user("app")
            .password("s3cr3t")
            .maxPoolSize(10)
            .build();
    PostgresConfig reports =
        PostgresConfig.from(base).applicationName("storymagic-reports").maxPoolSize(4).build();
    assertThat(reports.host()).contains("db.example");
    assertThat(reports.user()).contains("app");
    assertThat(reports.password()).contains("s3cr3t");
    assertThat(reports.maxPoolSize()).isEqualTo(4);
    assertThat(reports.minIdle()).isEqualTo(2);
    assertThat(reports.applicationName()).isEqualTo("storymagic-reports");
    assertThat(PostgresConfig.from(base).build()).isEqualTo(base);
    assertThatThrownBy(() -> PostgresConfig.from(base).maxPoolSize(5).maxPoolSize(6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxPoolSize was already set");
  }

  @Test
  void ofDefaultsHasEveryDefaultAndNoConnection() {
    PostgresConfig c = PostgresConfig.ofDefaults();
    assertThat(c).isEqualTo(PostgresConfig.builder().build());
    assertThat(c.hasConnection()).isFalse();
    assertThat(c.effectiveJdbcUrl()).isEmpty();
    assertThat(c.describeTarget()).isEqualTo("a caller-provided DataSource");
    assertThat(PostgresConfig.builder().maxPoolSize(1).build().minIdle()).isEqualTo(1);
  }

  @Test
  void theCanonicalConstructorChecksAValueMadeWithoutTheBuilder() {
    PostgresConfig d = PostgresConfig.ofDefaults();
    assertThatThrownBy(
            () ->
                new PostgresConfig(
                    d.jdbcUrl(),
                    Optional.of("db.example"),
                    d.port(),
                    d.database(),
                    d.user(),
                    d.password(),
                    d.credentials(),
                    d.sslMode(),
                    d.sslRootCert(),
                    d.maxPoolSize(),
                    d.minIdle(),
                    d.connectionTimeout(),
                    d.statementTimeout(),
                    "Not An Identifier",
                    d.auditText(),
                    d.migrate(),
                    d.applicationName(),
                    d.meterRegistry(),
                    d.openTelemetry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema must be a lower-case identifier");
  }
}
