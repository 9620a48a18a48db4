package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSharingTest {
  private final StoryRequest delivered =
      StoryRequest.builder()
          .theme("space")
          .character("Mia", "a curious girl")
          .moral("sharing")
          .build();

  @Test
  void equalFieldsAreTheDeliveredStorysAndTheCallersOwnerAndKeyStayTheirs() {
    StoryRequest asked =
        StoryRequest.builder()
            .theme(new String("space".toCharArray()))
            .character(new String("Mia".toCharArray()), "a curious girl")
            .moral(new String("sharing".toCharArray()))
            .owner("leo")
            .idempotencyKey("k-1")
            .fresh(true)
            .build();

    StoryRequest kept = StoryPipeline.sharingContentWith(asked, delivered);

    assertThat(kept).isEqualTo(asked);
    assertThat(kept.theme()).isSameAs(delivered.theme());
    assertThat(kept.characters()).isSameAs(delivered.characters());
    assertThat(kept.moral()).isSameAs(delivered.moral());
    assertThat(kept.owner()).isSameAs(asked.owner());
    assertThat(kept.idempotencyKey()).isSameAs(asked.idempotencyKey());
  }

  @Test
  void fieldsThatDifferAreTheCallersOwn() {
    StoryRequest asked =
        delivered.toBuilder()
            .theme("animals")
            .ageGroup(AgeGroup.AGES_9_12)
            .characters(List.of())
            .character("Leo", "a brave lion")
            .moral(null)
            .setting("a jungle")
            .build();

    StoryRequest kept = StoryPipeline.sharingContentWith(asked, delivered);

    assertThat(kept).isEqualTo(asked);
    assertThat(kept.theme()).isSameAs(asked.theme());
    assertThat(kept.characters()).isSameAs(asked.characters());
    assertThat(kept.setting()).isSameAs(asked.setting());
    assertThat(kept.moral()).isEmpty();
  }

  @Test
  void theSameRequestIsReturnedAsItIs() {
    assertThat(StoryPipeline.sharingContentWith(delivered, delivered)).isSameAs(delivered);
  }
}
