package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.StoryMagicException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Database credentials read from an AWS Secrets Manager secret holding {@code {"username",
 * "password", ...}} (the shape RDS and StoryMagic's {@code storymagic/database-credentials} use),
 * cached for {@link Builder#cacheTtl} and read again at once when PostgreSQL refuses the cached
 * password — which is what happens after the secret is rotated. Look-ups after a refusal are
 * rate-limited ({@link Builder#minRefreshInterval}) and shared, so a wrong secret cannot flood
 * Secrets Manager. A failed look-up keeps the cached value. Thread-safe; {@link #close()} releases
 * the HTTP client.
 */
public final class SecretsManagerCredentials implements CredentialsProvider, AutoCloseable {
  /** Default time a read secret is used before it is read again: 1 hour. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);

  /** Default shortest time between two look-ups forced by refused credentials: 2 seconds. */
  public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(2);

  /** Default limit on one look-up, retries included: 5 seconds. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(SecretsManagerCredentials.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String secretId;
  private final SecretsManagerClient client;
  private final Duration cacheTtl;
  private final Duration minRefreshInterval;
  private final Clock clock;
  private DatabaseCredentials cached;
  private String cachedVersion;
  private Instant expires = Instant.EPOCH;
  private Instant lastLookup = Instant.EPOCH;

  private SecretsManagerCredentials(Builder b, SecretsManagerClient client) {
    this.secretId = b.secretId;
    this.client = client;
    this.cacheTtl = b.cacheTtl;
    this.minRefreshInterval = b.minRefreshInterval;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized DatabaseCredentials current() {
    Instant now = clock.instant();
    if (cached != null && now.isBefore(expires)) {
      return cached;
    }
    return lookUp(now);
  }

  @Override
  public synchronized DatabaseCredentials refresh(DatabaseCredentials rejected) {
    requireNonNull(rejected, "rejected");
    if (cached != null && !cached.equals(rejected)) {
      return cached; // another connection already picked up the new value
    }
    Instant now = clock.instant();
    if (cached != null && now.isBefore(lastLookup.plus(minRefreshInterval))) {
      return cached;
    }
    return lookUp(now);
  }

  private DatabaseCredentials lookUp(Instant now) {
    lastLookup = now;
    try {
      GetSecretValueResponse response = client.getSecretValue(r -> r.secretId(secretId));
      DatabaseCredentials read = parse(response.secretString());
      if (cached != null && !read.equals(cached)) {
        log.info(
            "database credentials changed in Secrets Manager (version {}); new connections use them",
            response.versionId());
      }
      cached = read;
      cachedVersion = response.versionId();
      expires = now.plus(cacheTtl);
      return cached;
    } catch (SdkException | IllegalArgumentException e) {
      if (cached != null) {
        log.warn(
            "reading the database secret failed ({}); keeping version {}",
            e.getClass().getSimpleName(),
            cachedVersion);
        expires = now.plus(minRefreshInterval);
        return cached;
      }
      throw new StoryMagicException.StorageFailure(
          "the database credentials could not be read from Secrets Manager: "
              + e.getClass().getSimpleName()
              + ": "
              + firstLine(e.getMessage()),
          e);
    }
  }

  static DatabaseCredentials parse(String secretString) {
    if (secretString == null) {
      throw new IllegalArgumentException("the secret has no SecretString");
    }
    JsonNode root;
    try {
      root = JSON.readTree(secretString);
    } catch (IOException e) {
      throw new IllegalArgumentException("the secret is not JSON", e);
    }
    if (root == null || !root.path("username").isTextual() || !root.path("password").isTextual()) {
      throw new IllegalArgumentException(
          "the secret must be a JSON object with string fields username and password");
    }
    return new DatabaseCredentials(root.get("username").asText(), root.get("password").asText());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "SecretsManagerCredentials[" + secretId + "]";
  }

  /** Builds {@link SecretsManagerCredentials}. */
  public static final class Builder {
    private String secretId;
    private Region region;
    private URI endpoint;
    private AwsCredentialsProvider awsCredentials;
    private Duration cacheTtl = DEFAULT_CACHE_TTL;
    private Duration minRefreshInterval = DEFAULT_MIN_REFRESH_INTERVAL;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The secret's name or ARN. Required. */
    public Builder secretId(String secretId) {
      requireNonNull(secretId, "secretId");
      if (secretId.isBlank() || secretId.length() > 2048) {
        throw new IllegalArgumentException("secretId must have 1 to 2048 characters");
      }
      this.secretId = secretId;
      return this;
    }

    /**
     * The AWS region, such as {@code eu-west-1}. Default: the SDK's region chain ({@code
     * AWS_REGION}, ...).
     */
    public Builder region(String region) {
      this.region = Region.of(requireNonNull(region, "region"));
      return this;
    }

    /** Another Secrets Manager endpoint (a VPC endpoint, or a local stand-in in tests). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The AWS credentials to call with. Default: the SDK's chain (on ECS, the task role). */
    public Builder awsCredentials(AwsCredentialsProvider awsCredentials) {
      this.awsCredentials = requireNonNull(awsCredentials, "awsCredentials");
      return this;
    }

    /**
     * How long a read secret is used before it is read again, 1 second to 1 day. Default 1 hour.
     */
    public Builder cacheTtl(Duration cacheTtl) {
      this.cacheTtl = within(cacheTtl, Duration.ofSeconds(1), Duration.ofDays(1), "cacheTtl");
      return this;
    }

    /**
     * Shortest time between look-ups forced by refused credentials, 0 to 1 minute. Default 2
     * seconds.
     */
    public Builder minRefreshInterval(Duration minRefreshInterval) {
      this.minRefreshInterval =
          within(minRefreshInterval, Duration.ZERO, Duration.ofMinutes(1), "minRefreshInterval");
      return this;
    }

    /** Limit on one look-up, retries included, 100 ms to 1 minute. Default 5 seconds. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout =
          within(callTimeout, Duration.ofMillis(100), Duration.ofMinutes(1), "callTimeout");
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the provider; the secret is read on first use.
     *
     * @throws IllegalStateException if no secret id was set
     */
    public SecretsManagerCredentials build() {
      if (secretId == null) {
        throw new IllegalStateException("secretId is required");
      }
      SecretsManagerClientBuilder b =
          SecretsManagerClient.builder()
              .httpClientBuilder(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(callTimeout)
                      .socketTimeout(callTimeout))
              .overrideConfiguration(c -> c.apiCallTimeout(callTimeout));
      if (region != null) {
        b.region(region);
      }
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      if (awsCredentials != null) {
        b.credentialsProvider(awsCredentials);
      }
      return new SecretsManagerCredentials(this, b.build());
    }

    private static Duration within(Duration value, Duration min, Duration max, String name) {
      requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be within " + min + ".." + max + ": " + value);
      }
      return value;
    }
  }
}
