package dev.storymagic.offline;

import static dev.storymagic.offline.OfflineFixtures.mia;
import static dev.storymagic.offline.OfflineFixtures.modelRequest;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.testing.contract.StoryModelContract;

class OfflineStoryModelContractTest extends StoryModelContract {
  private final OfflineStoryModel model = OfflineStoryModel.create();

  @Override
  protected StoryModel model() {
    return model;
  }

  @Override
  protected ModelRequest request() {
    return modelRequest(mia("space", AgeGroup.AGES_6_8, StoryLength.MEDIUM), 3, 1);
  }
}
