package dev.storymagic.openai.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.Severity;
import dev.storymagic.openai.OutagePolicy;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyStage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every remote safety filter shares: a verdict cache keyed by the SHA-256 of the text (and the
 * judging model), single-flight so concurrent checks of one text cost one call, and the outage
 * policy per stage, including the case where the server has no such endpoint at all.
 *
 * @param <T> what one remote call returns for a text, before it is turned into findings
 */
public final class RemoteVerdicts<T> {
  private static final Logger log = LoggerFactory.getLogger(RemoteVerdicts.class);

  /** After a server said the endpoint does not exist, how long before asking again. */
  static final Duration ABSENT_RECHECK = Duration.ofMinutes(10);

  /**
   * The remote server has no such endpoint (HTTP 404, 405 or 501): the filter is absent, not down.
   */
  public static final class EndpointMissingException extends RuntimeException {
    public EndpointMissingException(String message) {
      super(message, null, false, false);
    }
  }

  private final String source;
  private final Settings settings;
  private final AsyncCache<String, T> cache;

  /** Set while the server is known to lack the endpoint, until the next time to ask again. */
  private volatile boolean absent;

  private volatile long absentUntilNanos;
  private volatile boolean absentLogged;

  /**
   * A filter's options as its builder left them.
   *
   * @param key what else identifies a verdict besides the text, such as the judging model
   * @param outagePolicies what a check at each stage answers while the server is down
   * @param failClosedCategory the category of the finding that blocks when an outage fails closed
   * @param cacheSize texts whose verdicts are kept (0: none)
   * @param cacheTtl how long a verdict is kept
   * @param timeout the time limit of one call
   */
  public record Settings(
      String key,
      Map<SafetyStage, OutagePolicy> outagePolicies,
      SafetyCategory failClosedCategory,
      long cacheSize,
      Duration cacheTtl,
      Duration timeout) {
    public Settings {
      outagePolicies = Map.copyOf(outagePolicies);
    }
  }

  /**
   * @param source the findings' source, such as {@code "openai-moderation"}; outages report {@code
   *     source + "-unavailable"}, a missing endpoint {@code source + "-absent"}
   */
  public RemoteVerdicts(String source, Settings settings) {
    this.source = source;
    this.settings = settings;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(settings.cacheSize())
            .expireAfterWrite(settings.cacheTtl())
            .buildAsync();
  }

  public String source() {
    return source;
  }

  /**
   * Assesses {@code text}: from the cache, or by {@code fetch} (one call for concurrent checks of
   * the same text; failures are not cached), then {@code findings}. One call serves every age
   * group. Never throws for an outage.
   */
  public SafetyAssessment assess(
      String text,
      SafetyStage stage,
      Function<String, T> fetch,
      Function<T, List<SafetyFinding>> findings) {
    requireNonNull(text, "text");
    requireNonNull(stage, "stage");
    if (text.isBlank()) {
      return SafetyAssessment.empty();
    }
    if (absent && System.nanoTime() - absentUntilNanos < 0) {
      return outage(stage, true, "the endpoint is absent");
    }
    T result;
    try {
      result = fetchShared(text, fetch);
    } catch (EndpointMissingException e) {
      absentUntilNanos = System.nanoTime() + ABSENT_RECHECK.toNanos();
      absent = true;
      if (!absentLogged) {
        absentLogged = true;
        log.error(
            "{}: {}. The remote filter is ABSENT on this server, not down: the input stage fails {}, the output "
                + "stage fails {} (findings from source '{}-absent'). Remove the filter for this deployment or point it at "
                + "a server that has the endpoint; asking again every {} minutes.",
            source,
            e.getMessage(),
            label(SafetyStage.INPUT),
            label(SafetyStage.OUTPUT),
            source,
            ABSENT_RECHECK.toMinutes());
      }
      return outage(stage, true, e.getMessage());
    } catch (RuntimeException e) {
      return outage(stage, false, e.getMessage());
    }
    absent = false;
    absentLogged = false;
    return new SafetyAssessment(findings.apply(result));
  }

  private String label(SafetyStage stage) {
    return settings.outagePolicies().get(stage) == OutagePolicy.FAIL_CLOSED ? "closed" : "open";
  }

  private T fetchShared(String text, Function<String, T> fetch) {
    String k = key(text);
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> prior = cache.asMap().putIfAbsent(k, mine);
    if (prior == null) {
      try {
        mine.complete(fetch.apply(text));
      } catch (RuntimeException e) {
        // A failed future leaves the cache by itself, so the next check asks again.
        mine.completeExceptionally(e);
      }
    }
    CompletableFuture<T> result = prior != null ? prior : mine;
    try {
      return result.get(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out waiting for a shared " + source + " call");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + source);
    }
  }

  /**
   * The stage's outage answer: nothing (fail open) or one decisive finding of the fail-closed
   * category (fail closed), which blocks every age group whose policy does not allow that category.
   */
  private SafetyAssessment outage(SafetyStage stage, boolean absent, String reason) {
    OutagePolicy policy = settings.outagePolicies().get(stage);
    if (!absent) {
      log.warn(
          "{} unavailable at the {} stage ({}); failing {}",
          source,
          stage.label(),
          reason,
          label(stage));
    }
    if (policy == OutagePolicy.FAIL_OPEN) {
      return SafetyAssessment.empty();
    }
    return new SafetyAssessment(
        List.of(
            SafetyFinding.of(
                settings.failClosedCategory(),
                Severity.HIGH,
                SafetyFinding.DECISIVE,
                -1,
                -1,
                source + (absent ? "-absent" : "-unavailable"))));
  }

  private String key(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(settings.key().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Whether an HTTP status means the endpoint does not exist on this server. */
  public static boolean missing(int status) {
    return status == 404 || status == 405 || status == 501;
  }
}
