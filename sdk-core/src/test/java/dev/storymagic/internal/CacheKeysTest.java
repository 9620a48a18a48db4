package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CacheKeysTest {
  /**
   * The key as specified: SHA-256 of the fields written out as {@code <chars>:<value>;} one after
   * the other in UTF-8. Keys already in a shared tier were made this way, so the digest fed field
   * by field must give the same ones.
   */
  private static String specified(StoryRequest r, String model, String template, String policy) {
    StringBuilder s = new StringBuilder();
    List<String> fields =
        new ArrayList<>(
            List.of(
                "k1",
                model,
                template,
                policy,
                r.theme(),
                r.ageGroup().name(),
                r.length().name(),
                r.language().trim().toLowerCase(Locale.ROOT),
                Integer.toString(r.characters().size())));
    for (StoryCharacter c : r.characters()) {
      fields.add(UserText.canonical(c.name()));
      fields.add(UserText.canonical(c.description()));
    }
    fields.add(r.setting().map(UserText::canonical).orElse(""));
    fields.add(r.moral().map(UserText::canonical).orElse(""));
    fields.add(r.idea().map(UserText::canonical).orElse(""));
    for (String f : fields) {
      s.append(f.length()).append(':').append(f).append(';');
    }
    return Hashing.sha256Hex(s.toString());
  }

  @Test
  void theKeyIsTheDigestOfTheLengthPrefixedFieldsAsSpecified() {
    List<StoryRequest> requests =
        List.of(
            StoryRequest.builder().theme("space").build(),
            StoryRequest.builder()
                .theme("animals")
                .ageGroup(AgeGroup.AGES_9_12)
                .length(StoryLength.LONG)
                .language(" EN-gb ")
                .character("Zoë", "a fox who loves crème brûlée")
                .character("小明", "一只勇敢的熊猫 🐼")
                .setting("a forest where the trees hum")
                .moral("kindness")
                .idea("x".repeat(500))
                .build(),
            StoryRequest.builder().theme("space").setting("ab").moral("c").build(),
            StoryRequest.builder().theme("space").setting("a").moral("bc").build());
    for (StoryRequest r : requests) {
      assertThat(CacheKeys.of(r, "gpt-4o-mini", "t7", "policy-3"))
          .isEqualTo(specified(r, "gpt-4o-mini", "t7", "policy-3"))
          .hasSize(64);
    }
  }

  @Test
  void aKeyStaysTheSameFromReleaseToRelease() {
    // Keys live on in the shared tier (Redis) across deployments: a change here orphans them all.
    StoryRequest r =
        StoryRequest.builder()
            .theme("space")
            .character("Mia", "a curious girl")
            .moral("sharing")
            .build();
    // SHA-256 of "2:k1;9:offline-1;2:t7;8:policy-3;5:space;8:AGES_6_8;5:SHORT;2:en;1:1;3:Mia;
    // 14:a curious girl;0:;7:sharing;0:;", worked out apart from this code.
    assertThat(CacheKeys.of(r, "offline-1", "t7", "policy-3"))
        .isEqualTo("e819b0ce67a29af6e45837dd8503a7fbafb53179f342aacd60bf86f7565606af");
  }
}
