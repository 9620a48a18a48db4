package dev.storymagic.assets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.Story;
import dev.storymagic.StoryAsset;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.AssetStore;
import dev.storymagic.spi.Illustrator;
import dev.storymagic.testing.SampleStories;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Against S3Proxy, a real S3-compatible server started by the test: not a mock. */
class S3AssetStorageIT {
  @TempDir static Path work;
  static S3ProxyServer s3;
  static int buckets;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(work);
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  static S3AssetStorage storage(String bucket) {
    return S3AssetStorage.builder()
        .bucket(bucket)
        .region(S3ProxyServer.REGION)
        .endpoint(s3.endpoint())
        .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
        .build();
  }

  static String newBucket() {
    String bucket = "assets-" + ++buckets + "-" + Long.toHexString(System.nanoTime());
    s3.createBucket(bucket);
    return bucket;
  }

  @Test
  void publicAssetsAreCachedForAYearAndIndexObjectsNotAtAll() {
    String bucket = newBucket();
    try (S3AssetStorage storage = storage(bucket);
        S3Client raw = s3.client()) {
      byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8);
      storage.put("assets/stories/a.svg", svg, "image/svg+xml", true);
      storage.put(
          "asset-index/owners/x/s.json",
          "[]".getBytes(StandardCharsets.UTF_8),
          "application/json",
          false);

      HeadObjectResponse head = raw.headObject(b -> b.bucket(bucket).key("assets/stories/a.svg"));
      assertThat(head.contentType()).isEqualTo("image/svg+xml");
      assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
      HeadObjectResponse index =
          raw.headObject(b -> b.bucket(bucket).key("asset-index/owners/x/s.json"));
      assertThat(index.cacheControl()).isEqualTo("no-store");
      assertThat(index.contentType()).isEqualTo("application/json");
    }
  }

  @Test
  void storiesPicturesLiveInTheBucketAndGoOnErasure() {
    String bucket = newBucket();
    try (AssetStore store = AssetStore.create(storage(bucket));
        S3Client raw = s3.client()) {
      Story story = SampleStories.story("alice");
      String cacheKey = AssetStore.cacheKey("illustrations", "offline-svg", "svg-1", story, "2");
      List<StoryAsset> saved =
          store.save("alice", story.id(), cacheKey, Illustrator.offline().illustrate(story, 2));
      assertThat(saved).hasSize(3);
      for (StoryAsset a : saved) {
        HeadObjectResponse head = raw.headObject(b -> b.bucket(bucket).key("assets/" + a.key()));
        assertThat(head.contentType()).isEqualTo("image/svg+xml");
        assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
      }
      assertThat(store.open(saved.get(0).key())).isPresent();
      assertThat(store.list("alice")).hasSize(3);
      Story bobs = SampleStories.story("bob");
      assertThat(store.reuse("bob", bobs.id(), cacheKey).orElseThrow()).hasSize(3);

      assertThat(store.deleteOwner("alice")).isZero();
      assertThat(store.open(saved.get(0).key())).as("still Bob's").isPresent();
      assertThat(store.deleteOwner("bob")).isEqualTo(3);
      assertThat(raw.listObjectsV2(b -> b.bucket(bucket).prefix("assets/")).contents()).isEmpty();
      assertThat(raw.listObjectsV2(b -> b.bucket(bucket).prefix("asset-index/owners/")).contents())
          .isEmpty();
      assertThat(store.open(saved.get(0).key())).isEmpty();
    }
  }

  @Test
  void everyPutAsksForServerSideEncryption() {
    String bucket = newBucket();
    List<String> sse = new java.util.concurrent.CopyOnWriteArrayList<>();
    var recorder =
        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
              software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            if (context.httpRequest().method() == software.amazon.awssdk.http.SdkHttpMethod.PUT) {
              sse.add(
                  context
                      .httpRequest()
                      .firstMatchingHeader("x-amz-server-side-encryption")
                      .orElse("none"));
            }
          }
        };
    try (S3AssetStorage storage =
        S3AssetStorage.builder()
            .bucket(bucket)
            .region(S3ProxyServer.REGION)
            .endpoint(s3.endpoint())
            .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
            .interceptor(recorder)
            .build()) {
      storage.put("assets/stories/b.svg", new byte[] {1}, "image/svg+xml", true);
      storage.put("asset-index/refs/x", new byte[] {1}, "text/plain", false);
    }
    // One entry per attempt: the SDK may retry a PUT (a connection the local server closed), and a
    // retried PUT must ask for encryption too.
    assertThat(sse).hasSizeGreaterThanOrEqualTo(2).containsOnly("AES256");
  }

  @Test
  void aMissingBucketIsAStorageExceptionNamingIt() {
    try (S3AssetStorage storage = storage("no-such-bucket-here")) {
      assertThatThrownBy(() -> storage.put("assets/x.svg", new byte[] {1}, "image/svg+xml", true))
          .isInstanceOf(StoryMagicException.StorageFailure.class)
          .hasMessageContaining("s3://no-such-bucket-here/assets/x.svg");
    }
  }

  @Test
  @Timeout(60)
  void aServerThatNeverAnswersFailsWithinTheCallTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50)) {
      // Connections are accepted by the kernel's backlog and never answered.
      try (S3AssetStorage storage =
          S3AssetStorage.builder()
              .bucket("b")
              .region(S3ProxyServer.REGION)
              .endpoint(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
              .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
              .attemptTimeout(Duration.ofMillis(500))
              .callTimeout(Duration.ofSeconds(2))
              .build()) {
        assertThatThrownBy(() -> storage.get("assets/stories/x.svg"))
            .isInstanceOf(StoryMagicException.StorageFailure.class);
      }
    }
  }

  @Test
  void optionsAreCheckedWhenBuilt() {
    assertThatThrownBy(() -> S3AssetStorage.builder().bucket("b").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> S3AssetStorage.builder().bucket("b").bucket("c"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> S3AssetStorage.builder().callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
