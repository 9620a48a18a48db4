package dev.storymagic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingConfigTest {
  @Test
  void nothingSetExportsNothingAndSamplesTenPercent() {
    TracingConfig t = ServerConfig.defaults().tracing();
    assertThat(t.exporting()).isFalse();
    assertThat(t.samplerRatio()).isEqualTo(0.1);
    assertThat(t.serviceName()).isEqualTo("storymagic-api");
    assertThat(t.exportTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theCollectorsBaseUrlGetsTheTracesPath() {
    TracingConfig t =
        ServerConfig.fromEnvironment(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://127.0.0.1:4318",
                    "TRACES_SAMPLER_RATIO",
                    "0.25",
                    "OTEL_EXPORTER_OTLP_TIMEOUT",
                    "2500"))
            .tracing();
    assertThat(t.endpoint()).contains(URI.create("http://127.0.0.1:4318/v1/traces"));
    assertThat(t.samplerRatio()).isEqualTo(0.25);
    assertThat(t.exportTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(
            ServerConfig.fromEnvironment(
                    Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://collector:4318/custom"))
                .tracing()
                .endpoint())
        .contains(URI.create("https://collector:4318/custom"));
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(
            () ->
                ServerConfig.fromEnvironment(
                    Map.of(
                        "TRACES_SAMPLER_RATIO",
                        "10%",
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "collector:4318",
                        "OTEL_EXPORTER_OTLP_TIMEOUT",
                        "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TRACES_SAMPLER_RATIO must be a number within 0..1")
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL")
        .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT must be milliseconds");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRACES_SAMPLER_RATIO", "1.5")))
        .hasMessageContaining("TRACES_SAMPLER_RATIO");
  }
}
