package dev.storymagic.spring;

import static java.util.Objects.requireNonNull;

import dev.storymagic.ComponentHealth;
import dev.storymagic.StoryMagic;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * StoryMagic's part of {@code /actuator/health}, named {@code storyMagic}: the model, each cache
 * tier and the store, each with its status and a short detail (never a secret).
 *
 * <p>{@code DOWN} when the store is down: stories cannot be kept or listed. {@link #DEGRADED} when
 * only the model provider or the shared cache is in trouble: the application still serves cached
 * and stored stories, so a load balancer must not take it out of service. The starter orders {@code
 * DEGRADED} between {@code OUT_OF_SERVICE} and {@code UP} and maps it to HTTP 200 (see {@code
 * management.endpoint.health.status.order}); an application that sets its own order should place
 * {@code degraded} the same way.
 */
public final class StoryMagicHealthIndicator implements HealthIndicator {
  /** Serving, with a dependency that is not: HTTP 200. */
  public static final Status DEGRADED =
      new Status(
          "DEGRADED",
          "serving cached and stored stories; the model provider or the shared cache is unavailable");

  /** The component whose outage takes the whole service down. */
  private static final String STORE = "store";

  private final StoryMagic magic;

  public StoryMagicHealthIndicator(StoryMagic magic) {
    this.magic = requireNonNull(magic, "magic");
  }

  @Override
  public Health health() {
    Map<String, ComponentHealth> components = magic.health();
    Status overall = Status.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<String, ComponentHealth> e : components.entrySet()) {
      ComponentHealth c = e.getValue();
      details.put(
          e.getKey(),
          Map.of("status", c.status().name().toLowerCase(Locale.ROOT), "detail", c.detail()));
      if (c.status() == ComponentHealth.Status.DOWN && e.getKey().equals(STORE)) {
        overall = Status.DOWN;
      } else if (c.status() != ComponentHealth.Status.UP && !overall.equals(Status.DOWN)) {
        overall = DEGRADED;
      }
    }
    return Health.status(overall).withDetails(details).build();
  }
}
