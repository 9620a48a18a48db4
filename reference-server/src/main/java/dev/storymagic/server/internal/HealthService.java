package dev.storymagic.server.internal;

import dev.storymagic.ComponentHealth;
import dev.storymagic.ComponentHealth.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The deep health check of the operations handbook: database, Redis, model availability, memory
 * below 90 % and CPU below 95 %, each reported as {@code {status, detail}}.
 *
 * <p>Overall: {@code unhealthy} (HTTP 503) when the database is down or memory is exhausted, since
 * such a task cannot serve; {@code degraded} (HTTP 200) when only the model provider, Redis or CPU
 * is in trouble, because the fleet can still serve stored and cached stories and a load balancer
 * must not drain every task because the provider is down; otherwise {@code ok}. A task that is
 * shutting down answers 503 so the load balancer stops sending it requests. Results are reused for
 * one second, and the whole check is bounded by {@link #CHECK_TIMEOUT}.
 */
public final class HealthService implements AutoCloseable {
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
  static final double MEMORY_LIMIT = 0.90;
  static final double CPU_LIMIT = 0.95;
  private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The result: the HTTP status and the JSON document. */
  public record Report(int httpStatus, Map<String, Object> body) {}

  private final Supplier<Map<String, ComponentHealth>> components;
  private final Supplier<Boolean> shuttingDown;
  private final ExecutorService checks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "health-check");
            t.setDaemon(true);
            return t;
          });
  private volatile Report last;
  private volatile long lastAt;

  public HealthService(
      Supplier<Map<String, ComponentHealth>> components, Supplier<Boolean> shuttingDown) {
    this.components = components;
    this.shuttingDown = shuttingDown;
  }

  public Report check() {
    if (shuttingDown.get()) {
      return new Report(503, Map.of("status", "shutting_down"));
    }
    Report cached = last;
    if (cached != null && System.nanoTime() - lastAt < REUSE_NANOS) {
      return cached;
    }
    synchronized (this) {
      if (last != null && System.nanoTime() - lastAt < REUSE_NANOS) {
        return last;
      }
      last = compute();
      lastAt = System.nanoTime();
      return last;
    }
  }

  private Report compute() {
    Map<String, ComponentHealth> sdk;
    try {
      sdk =
          CompletableFuture.supplyAsync(components, checks)
              .get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sdk =
          Map.of(
              "store",
              ComponentHealth.down(
                  "health check timed out after " + CHECK_TIMEOUT.toSeconds() + " s"),
              "model",
              ComponentHealth.down("health check timed out"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sdk = Map.of("store", ComponentHealth.down("interrupted"));
    } catch (Exception e) {
      sdk =
          Map.of(
              "store",
              ComponentHealth.down(
                  "health check failed: " + Errors.unwrap(e).getClass().getSimpleName()));
    }
    Map<String, ComponentHealth> checks = new LinkedHashMap<>();
    checks.put("database", sdk.getOrDefault("store", ComponentHealth.up("in memory")));
    if (sdk.containsKey("cache_l2")) {
      checks.put("redis", sdk.get("cache_l2"));
    }
    checks.put("model", sdk.getOrDefault("model", ComponentHealth.down("not reported")));
    sdk.forEach(
        (name, health) -> {
          if (name.startsWith("cache_") && !name.equals("cache_l2")) {
            checks.put(name.equals("cache_l1") ? "cache" : name, health);
          }
        });
    ComponentHealth memory = memory();
    ComponentHealth cpu = cpu();
    checks.put("memory", memory);
    checks.put("cpu", cpu);

    boolean unhealthy =
        checks.get("database").status() == Status.DOWN || memory.status() == Status.DOWN;
    boolean degraded = checks.values().stream().anyMatch(h -> h.status() != Status.UP);
    String status = unhealthy ? "unhealthy" : degraded ? "degraded" : "ok";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    Map<String, Object> rendered = new LinkedHashMap<>();
    checks.forEach(
        (name, h) ->
            rendered.put(
                name,
                Map.of(
                    "status", h.status().name().toLowerCase(Locale.ROOT), "detail", h.detail())));
    body.put("checks", rendered);
    return new Report(unhealthy ? 503 : 200, body);
  }

  static ComponentHealth memory() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    double ratio = (double) heap.getUsed() / max;
    String detail =
        String.format(Locale.ROOT, "heap %.0f %% of %d MiB used", ratio * 100, max / (1024 * 1024));
    return ratio < MEMORY_LIMIT
        ? ComponentHealth.up(detail)
        : ComponentHealth.down(detail + " (limit 90 %)");
  }

  static ComponentHealth cpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      if (load < 0) {
        return ComponentHealth.up("cpu load not yet measured");
      }
      String detail =
          String.format(
              Locale.ROOT,
              "process cpu %.0f %% of %d cores",
              load * 100,
              Runtime.getRuntime().availableProcessors());
      return load < CPU_LIMIT
          ? ComponentHealth.up(detail)
          : new ComponentHealth(Status.DEGRADED, detail + " (limit 95 %)");
    }
    return ComponentHealth.up("cpu load not available on this JVM");
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
