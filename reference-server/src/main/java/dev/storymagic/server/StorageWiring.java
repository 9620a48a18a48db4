package dev.storymagic.server;

import dev.storymagic.AssetStorage;

/** Chooses where story assets are kept. */
final class StorageWiring {
  private StorageWiring() {}

  static AssetStorage storage(ServerConfig.Assets assets) {
    return AssetStorage.localFolder(assets.folder());
  }
}
