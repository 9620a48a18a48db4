package dev.storymagic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

  @Test
  void defaultsFailFastAndKeepEntriesSmall() {
    RedisConfig c = RedisConfig.builder().host("cache.example").build();
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.ttl()).isEqualTo(Duration.ofHours(24));
    assertThat(c.maxEntryBytes()).isEqualTo(64 * 1024);
    assertThat(c.keyPrefix()).isEqualTo("storymagic:");
    assertThat(c.port()).isEqualTo(6379);
    assertThat(c.cluster()).isFalse();
    assertThat(c.tls()).isFalse();
    assertThat(c.rateLimit()).isEmpty();
  }

  @Test
  void clusterNodesImplyCluster() {
    RedisConfig c =
        RedisConfig.builder().clusterNodes(List.of("a:7000", "b:7001")).tls(true).build();
    assertThat(c.cluster()).isTrue();
    assertThat(c.clusterNodes()).containsExactly("a:7000", "b:7001");
    assertThat(c.describeTarget()).isEqualTo("cluster a:7000,b:7001 (tls)");
    assertThat(RedisConfig.builder().host("cfg.example").cluster(true).build().clusterNodes())
        .containsExactly("cfg.example:6379");
  }

  @Test
  void clusterNodes_negative() {
    assertThatThrownBy(() -> RedisConfig.builder().clusterNodes(List.of("nohost")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster node must be host:port: 'nohost'");
    assertThatThrownBy(() -> RedisConfig.builder().clusterNodes(List.of("a:99999")).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisConfig.builder().clusterNodes(List.of("a:1")).host("b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set either clusterNodes or host/port, not both");
    assertThatThrownBy(
            () -> RedisConfig.builder().clusterNodes(List.of("a:1")).cluster(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clusterNodes were given but cluster(false) was set");
    assertThatThrownBy(() -> RedisConfig.builder().clusterNodes(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clusterNodes must name at least one host:port");
  }

  @Test
  void option_twice() {
    assertThatThrownBy(() -> RedisConfig.builder().keyPrefix("a:").keyPrefix("b:"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("keyPrefix was already set");
  }

  @Test
  void options_negative() {
    assertThatThrownBy(() -> RedisConfig.builder().keyPrefix("with space").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without whitespace or glob characters");
    assertThatThrownBy(() -> RedisConfig.builder().keyPrefix("a*").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisConfig.builder().timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be within 1 ms..60 s: PT0S");
    assertThatThrownBy(() -> RedisConfig.builder().ttl(Duration.ofDays(31)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl must be within");
    assertThatThrownBy(() -> RedisConfig.builder().maxEntryBytes(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntryBytes must be within 1024..16777216: 10");
    assertThatThrownBy(() -> RedisConfig.builder().maxConnections(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisConfig.builder().port(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be within 1..65535: 0");
  }

  @Test
  void toStringNeverShowsThePassword() {
    RedisConfig c = RedisConfig.builder().host("h").user("app").password("t0ken").build();
    assertThat(c.toString()).doesNotContain("t0ken").contains("password=****");
  }

  @Test
  void rateLimitValidatesAndComputesTheRefillRate() {
    assertThat(RateLimit.perMinute(30, 5).millisPerToken()).isEqualTo(2000.0);
    assertThatThrownBy(() -> new RateLimit(0, 1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("burst must be at least 1: 0");
    assertThatThrownBy(() -> new RateLimit(1, 0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refillTokens must be at least 1: 0");
    assertThatThrownBy(() -> new RateLimit(1, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refillPeriod must be at least 1 ms: PT0S");
  }

  @Test
  void fromStartsFromAValueAndChangesEachOptionOnce() {
    RedisConfig base =
        RedisConfig.custom().host("cache.example").tls(true).password("t0ken").build();
    RedisConfig limited = RedisConfig.from(base).rateLimit(RateLimit.perMinute(30, 5)).build();
    assertThat(limited.describeTarget()).isEqualTo("cache.example:6379 (tls)");
    assertThat(limited.password()).contains("t0ken");
    assertThat(limited.rateLimit()).contains(RateLimit.perMinute(30, 5));
    assertThat(RedisConfig.from(base).build()).isEqualTo(base);
    RedisConfig cluster = RedisConfig.custom().clusterNodes(List.of("a:7000")).build();
    assertThat(RedisConfig.from(cluster).ttl(Duration.ofHours(1)).build().clusterNodes())
        .containsExactly("a:7000");
    assertThatThrownBy(() -> RedisConfig.from(base).ttl(Duration.ofHours(1)).ttl(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ttl was already set");
  }

  @Test
  void ofDefaultsIsTheLocalNode() {
    RedisConfig c = RedisConfig.ofDefaults();
    assertThat(c).isEqualTo(RedisConfig.builder().build());
    assertThat(c.describeTarget()).isEqualTo("localhost:6379");
    assertThat(c.seedNodes()).isEmpty();
    assertThat(c.clusterNodes()).containsExactly("localhost:6379");
  }

  @Test
  void theCanonicalConstructorChecksAValueMadeWithoutTheBuilder() {
    RedisConfig d = RedisConfig.ofDefaults();
    assertThatThrownBy(
            () ->
                new RedisConfig(
                    d.host(),
                    d.port(),
                    d.tls(),
                    Optional.of(" "),
                    d.password(),
                    d.cluster(),
                    d.seedNodes(),
                    d.keyPrefix(),
                    d.timeout(),
                    d.ttl(),
                    d.maxEntryBytes(),
                    d.maxConnections(),
                    d.rateLimit(),
                    d.meterRegistry(),
                    d.openTelemetry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user must not be blank");
  }
}
