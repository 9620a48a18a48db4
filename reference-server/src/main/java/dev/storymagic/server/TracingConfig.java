package dev.storymagic.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where and how much the server traces.
 *
 * <ul>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL, such as {@code
 *       http://localhost:4318/v1/traces}) or {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the collector's
 *       base URL; {@code /v1/traces} is added): spans are exported over OTLP/HTTP (protobuf) to the
 *       AWS Distro for OpenTelemetry collector beside the server, which sends them to X-Ray. Unset:
 *       nothing is exported and nothing is sampled; trace ids from the load balancer still reach
 *       the log lines.
 *   <li>{@code TRACES_SAMPLER_RATIO} (0 to 1, default 0.1): the share of new traces recorded; a
 *       request that arrives with a sampling decision ({@code X-Amzn-Trace-Id} from the load
 *       balancer, or W3C {@code traceparent}) keeps it.
 *   <li>{@code OTEL_SERVICE_NAME} (default {@code storymagic-api}): the service in X-Ray's map.
 *   <li>{@code OTEL_EXPORTER_OTLP_TIMEOUT} (milliseconds, 100 to 60,000, default 10,000): the limit
 *       of one export.
 * </ul>
 *
 * @param endpoint the OTLP/HTTP traces URL, empty when not exporting
 * @param samplerRatio the share of new traces sampled
 * @param serviceName the {@code service.name} resource attribute
 * @param exportTimeout the limit of one export
 * @param maxQueueSize spans waiting for export at most; beyond it new spans are dropped (and
 *     counted)
 */
public record TracingConfig(
    Optional<URI> endpoint,
    double samplerRatio,
    String serviceName,
    Duration exportTimeout,
    int maxQueueSize) {
  public static final double DEFAULT_SAMPLER_RATIO = 0.1;
  public static final String DEFAULT_SERVICE_NAME = "storymagic-api";
  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_QUEUE_SIZE = 2048;

  /** No export: the embedded defaults. */
  public static final TracingConfig OFF =
      new TracingConfig(
          Optional.empty(),
          DEFAULT_SAMPLER_RATIO,
          DEFAULT_SERVICE_NAME,
          DEFAULT_EXPORT_TIMEOUT,
          DEFAULT_MAX_QUEUE_SIZE);

  public TracingConfig {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(exportTimeout, "exportTimeout");
    if (!(samplerRatio >= 0 && samplerRatio <= 1)) {
      throw new IllegalArgumentException("samplerRatio must be within 0..1: " + samplerRatio);
    }
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("maxQueueSize must be positive: " + maxQueueSize);
    }
  }

  /** Whether spans leave the process. */
  public boolean exporting() {
    return endpoint.isPresent();
  }

  /** A copy exporting to {@code tracesUrl} with {@code ratio}; for tests and embedding. */
  public TracingConfig exportingTo(URI tracesUrl, double ratio) {
    return new TracingConfig(
        Optional.of(tracesUrl), ratio, serviceName, exportTimeout, maxQueueSize);
  }

  static TracingConfig read(Function<String, Optional<String>> env, List<String> problems) {
    Optional<URI> endpoint =
        env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .map(v -> url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", v, problems))
            .or(
                () ->
                    env.apply("OTEL_EXPORTER_OTLP_ENDPOINT")
                        .map(
                            v ->
                                url(
                                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                                    v.endsWith("/") ? v + "v1/traces" : v + "/v1/traces",
                                    problems)));
    double ratio = DEFAULT_SAMPLER_RATIO;
    Optional<String> ratioText = env.apply("TRACES_SAMPLER_RATIO");
    if (ratioText.isPresent()) {
      try {
        ratio = Double.parseDouble(ratioText.get());
      } catch (NumberFormatException e) {
        ratio = Double.NaN;
      }
      if (!(ratio >= 0 && ratio <= 1)) {
        problems.add(
            "TRACES_SAMPLER_RATIO must be a number within 0..1, such as 0.1: '"
                + ratioText.get()
                + "'");
        ratio = DEFAULT_SAMPLER_RATIO;
      }
    }
    String service = env.apply("OTEL_SERVICE_NAME").orElse(DEFAULT_SERVICE_NAME);
    Duration timeout = DEFAULT_EXPORT_TIMEOUT;
    Optional<String> timeoutText = env.apply("OTEL_EXPORTER_OTLP_TIMEOUT");
    if (timeoutText.isPresent()) {
      long millis = -1;
      try {
        millis = Long.parseLong(timeoutText.get());
      } catch (NumberFormatException e) {
        // reported below
      }
      if (millis < 100 || millis > 60_000) {
        problems.add(
            "OTEL_EXPORTER_OTLP_TIMEOUT must be milliseconds within 100..60000: '"
                + timeoutText.get()
                + "'");
      } else {
        timeout = Duration.ofMillis(millis);
      }
    }
    return new TracingConfig(
        endpoint.filter(u -> u.getScheme() != null),
        ratio,
        service,
        timeout,
        DEFAULT_MAX_QUEUE_SIZE);
  }

  private static URI url(String name, String value, List<String> problems) {
    try {
      URI uri = URI.create(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problems.add(name + " must be an http(s) URL such as http://localhost:4318: '" + value + "'");
    return URI.create("invalid:/");
  }

  @Override
  public String toString() {
    return endpoint.map(u -> "otlp " + u + " at " + samplerRatio).orElse("off");
  }
}
