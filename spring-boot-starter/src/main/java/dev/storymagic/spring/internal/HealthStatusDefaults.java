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
  static final String ORDER = "management.endpoint.health.status.order";
  static final String HTTP_MAPPING = "management.endpoint.health.status.http-mapping.degraded";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                SOURCE,
                Map.of(
                    ORDER, "down,out-of-service,degraded,up,unknown",
                    HTTP_MAPPING, "200")));
  }
}
