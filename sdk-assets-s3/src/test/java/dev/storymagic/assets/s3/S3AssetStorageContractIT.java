package dev.storymagic.assets.s3;

import dev.storymagic.spi.AssetStorage;
import dev.storymagic.testing.contract.AssetStorageContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asset storage contract against S3Proxy, a real S3-compatible server; each test gets a new
 * bucket.
 */
class S3AssetStorageContractIT extends AssetStorageContract {
  @TempDir static Path work;
  static S3ProxyServer s3;
  static final AtomicInteger buckets = new AtomicInteger();

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

  @Override
  protected AssetStorage newStorage() {
    String bucket =
        "contract-" + buckets.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    s3.createBucket(bucket);
    return S3AssetStorage.builder()
        .bucket(bucket)
        .region(S3ProxyServer.REGION)
        .endpoint(s3.endpoint())
        .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
        .build();
  }
}
