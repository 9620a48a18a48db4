package dev.storymagic.spring.internal;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Teaches Actuator where StoryMagic's {@code DEGRADED} status ranks: worse than {@code UP}, better
 * than {@code DOWN} and {@code OUT_OF_SERVICE}, answered with HTTP 200. Without it an unknown
 * status would sort first and a {@code DEGRADED} StoryMagic would hide a {@code DOWN} database.
 * Added as the last property source, so any value the application sets wins. Not API.
 */
public final class HealthStatusDefaults implements EnvironmentPostProcessor {
  static final String SOURCE = "storymagicHealthStatusDefaults";

  /** {@code DEGRADED} between {@code UP} and {@code DOWN}, answered 200. */
  private static final Map<String, Object> DEFAULTS =
      Map.of(
          "management.endpoint.health.status.order", "down,out-of-service,degraded,up,unknown",
          "management.endpoint.health.status.http-mapping.degraded", "200");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, DEFAULTS));
  }
}
