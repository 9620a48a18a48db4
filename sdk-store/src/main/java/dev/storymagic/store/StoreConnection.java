package dev.storymagic.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Optional;

/**
 * What every store configuration ({@link PostgresConfig}, {@link RedisConfig}) says about its
 * server besides the host: the port, who connects, and where metrics and spans go. Not API: it lets
 * {@link StoreConfigBuilder} copy these from an existing configuration.
 */
interface StoreConnection {
  int port();

  Optional<String> user();

  Optional<String> password();

  Optional<MeterRegistry> meterRegistry();

  Optional<OpenTelemetry> openTelemetry();

  /**
   * How {@code c}'s {@code toString()} starts: the configuration's {@code name}, where it connects,
   * and the user and whether there is a password (never the password itself).
   */
  static String describe(String name, String target, StoreConnection c) {
    return name
        + "{target="
        + target
        + ", user="
        + c.user().orElse("-")
        + ", password="
        + (c.password().isPresent() ? "****" : "-");
  }
}
