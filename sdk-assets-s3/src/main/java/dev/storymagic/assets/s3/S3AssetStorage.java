package dev.storymagic.assets.s3;

import static java.util.Objects.requireNonNull;

import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.AssetStorage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Story assets in an S3 bucket, through the AWS SDK v2. Served assets are written with their
 * content type, {@value #IMMUTABLE} (CloudFront and browsers keep them for a year; they never
 * change, their key is their SHA-256) and server-side encryption (SSE-S3 by default, SSE-KMS with a
 * key id); the store's private index objects with {@code no-store}. Every call is bounded by an
 * attempt timeout and a whole-call timeout, retries included.
 *
 * <p>Credentials come from the default chain (the ECS task role in production) unless given.
 */
public final class S3AssetStorage implements AssetStorage {
  /** The cache header of served assets. */
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** The cache header of the private index objects. */
  public static final String PRIVATE = "no-store";

  /** Default whole-call limit, retries included. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(15);

  /** Default limit of one attempt. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  /** Keys listed at most under one prefix: an owner's stories, or the references to one file. */
  static final int MAX_LISTED = 100_000;

  private final S3Client s3;
  private final String bucket;
  private final Optional<String> kmsKeyId;

  private S3AssetStorage(S3Client s3, String bucket, Optional<String> kmsKeyId) {
    this.s3 = s3;
    this.bucket = bucket;
    this.kmsKeyId = kmsKeyId;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void put(String key, byte[] body, String contentType, boolean publicAsset) {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .cacheControl(publicAsset ? IMMUTABLE : PRIVATE);
    if (kmsKeyId.isPresent()) {
      put.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId.get());
    } else {
      put.serverSideEncryption(ServerSideEncryption.AES256);
    }
    try {
      s3.putObject(put.build(), RequestBody.fromBytes(body));
    } catch (SdkException e) {
      throw failed("writing", key, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(
          s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
              .asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failed("reading", key, e);
    } catch (SdkException e) {
      throw failed("reading", key, e);
    }
  }

  @Override
  public boolean exists(String key) {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failed("checking", key, e);
    } catch (SdkException e) {
      throw failed("checking", key, e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw failed("deleting", key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(
                  ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
              .contents()) {
        keys.add(o.key());
        if (keys.size() >= MAX_LISTED) {
          throw new StoryMagicException.StorageFailure(
              "more than " + MAX_LISTED + " asset objects under " + prefix, null);
        }
      }
    } catch (SdkException e) {
      throw failed("listing", prefix, e);
    }
    return keys;
  }

  @Override
  public String describe() {
    return "s3://" + bucket;
  }

  @Override
  public void close() {
    s3.close();
  }

  private StoryMagicException.StorageFailure failed(String what, String key, SdkException e) {
    // The SDK's message names the bucket, the status and the request id; never a credential.
    return new StoryMagicException.StorageFailure(
        what + " s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
  }

  /** Options, each set at most once. */
  public static final class Builder {
    private String bucket;
    private String region;
    private URI endpoint;
    private Boolean pathStyle;
    private AwsCredentialsProvider credentials;
    private String kmsKeyId;
    private Duration callTimeout;
    private Duration attemptTimeout;
    private final List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors =
        new ArrayList<>();

    private Builder() {}

    /** Sees every request the client sends; for tests in this package. */
    Builder interceptor(software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
      interceptors.add(requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** The bucket (required). */
    public Builder bucket(String bucket) {
      once(this.bucket, "bucket");
      this.bucket = requireNonNull(bucket, "bucket");
      return this;
    }

    /** The bucket's region (required), such as {@code "eu-central-1"}. */
    public Builder region(String region) {
      once(this.region, "region");
      this.region = requireNonNull(region, "region");
      return this;
    }

    /**
     * Another endpoint: a VPC endpoint or an S3-compatible server. With one, addressing is
     * path-style by default and checksums are sent only where S3 requires them, which such servers
     * expect.
     */
    public Builder endpoint(URI endpoint) {
      once(this.endpoint, "endpoint");
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * Path-style addressing ({@code host/bucket/key}); default false, true with an {@link
     * #endpoint}.
     */
    public Builder pathStyle(boolean pathStyle) {
      once(this.pathStyle, "pathStyle");
      this.pathStyle = pathStyle;
      return this;
    }

    /** Static credentials; by default the SDK's default chain (environment, ECS task role, ...). */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      once(this.credentials, "credentials");
      this.credentials =
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(accessKeyId, secretAccessKey));
      return this;
    }

    /** SSE-KMS with this key instead of the default SSE-S3 (AES-256). */
    public Builder kmsKeyId(String kmsKeyId) {
      once(this.kmsKeyId, "kmsKeyId");
      this.kmsKeyId = requireNonNull(kmsKeyId, "kmsKeyId");
      return this;
    }

    /** The limit of one call, retries included; default 15 seconds; must be positive. */
    public Builder callTimeout(Duration timeout) {
      once(this.callTimeout, "callTimeout");
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** The limit of one attempt; default 5 seconds; must be positive. */
    public Builder attemptTimeout(Duration timeout) {
      once(this.attemptTimeout, "attemptTimeout");
      this.attemptTimeout = positive(timeout, "attemptTimeout");
      return this;
    }

    /**
     * Builds the storage.
     *
     * @throws IllegalStateException when the bucket or region is missing
     */
    public S3AssetStorage build() {
      if (bucket == null || region == null) {
        throw new IllegalStateException("an S3 asset storage needs a bucket and a region");
      }
      Duration attempt = attemptTimeout == null ? DEFAULT_ATTEMPT_TIMEOUT : attemptTimeout;
      Duration call = callTimeout == null ? DEFAULT_CALL_TIMEOUT : callTimeout;
      if (attempt.compareTo(call) > 0) {
        throw new IllegalStateException(
            "attemptTimeout " + attempt + " is longer than callTimeout " + call);
      }
      S3ClientBuilder b =
          S3Client.builder()
              .region(Region.of(region))
              .credentialsProvider(
                  credentials == null ? DefaultCredentialsProvider.builder().build() : credentials)
              .httpClientBuilder(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(Duration.ofSeconds(3))
                      .socketTimeout(attempt))
              .overrideConfiguration(
                  ClientOverrideConfiguration.builder()
                      .apiCallTimeout(call)
                      .apiCallAttemptTimeout(attempt)
                      .retryStrategy(RetryMode.STANDARD)
                      .executionInterceptors(interceptors)
                      .build())
              .forcePathStyle(pathStyle != null ? pathStyle : endpoint != null);
      if (endpoint != null) {
        b.endpointOverride(endpoint)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      }
      return new S3AssetStorage(b.build(), bucket, Optional.ofNullable(kmsKeyId));
    }

    private static void once(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
