package dev.storymagic.server;

import dev.storymagic.assets.s3.S3AssetStorage;
import dev.storymagic.spi.AssetStorage;

/**
 * Chooses where story assets are kept: the S3 bucket when one is configured, else the local folder.
 */
final class StorageWiring {
  private StorageWiring() {}

  static AssetStorage storage(ServerConfig.Assets assets) {
    if (assets.bucket().isEmpty()) {
      return AssetStorage.localFolder(assets.folder());
    }
    // Credentials from the default chain: the ECS task role in production.
    S3AssetStorage.Builder s3 =
        S3AssetStorage.builder().bucket(assets.bucket().get()).region(assets.region());
    assets.endpoint().ifPresent(s3::endpoint);
    return s3.build();
  }
}
