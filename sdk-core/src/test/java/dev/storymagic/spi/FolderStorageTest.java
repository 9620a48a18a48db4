package dev.storymagic.spi;

import dev.storymagic.testing.contract.AssetStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FolderStorageTest extends AssetStorageContract {
  @TempDir Path root;

  @Override
  protected AssetStorage newStorage() {
    return AssetStorage.localFolder(root);
  }
}
