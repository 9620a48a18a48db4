package dev.storymagic.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storymagic.Story;
import dev.storymagic.testing.SampleStories;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoryViewTest {
  final Story story = SampleStories.story("owner-1");

  @Test
  void theViewLeavesOutTheInternalFieldsTheStoredFormKeeps() throws Exception {
    JsonNode view = Wire.mapper().valueToTree(StoryView.of(story));
    JsonNode stored = Wire.mapper().valueToTree(StoryDocument.of(story));

    assertThat(view.has("owner")).isFalse();
    assertThat(view.has("cacheTier")).isFalse();
    assertThat(view.get("safety").has("findings")).isFalse();
    assertThat(stored.get("owner").asText()).isEqualTo("owner-1");
    assertThat(stored.get("request").get("owner").asText()).isEqualTo("owner-1");
    assertThat(view.get("characters")).isEqualTo(stored.get("request").get("characters"));
    assertThat(view.has("setting")).as("an absent optional is left out").isFalse();
  }

  @Test
  void prewrittenFragmentsAreWrittenAsTheyAreAndOtherwiseAsValues() throws Exception {
    // Raw bytes go out unchanged: the marker proves they were not serialised again.
    String prewritten =
        new String(
            Wire.mapper()
                .writeValueAsBytes(
                    StoryView.of(
                        story,
                        Fragment.prewritten(story.title(), new SerializedString("\"T\"")),
                        Fragment.of(story.paragraphs()),
                        Fragment.of(story.text()))),
            StandardCharsets.UTF_8);
    assertThat(prewritten).contains("\"title\":\"T\"");

    JsonNode tree = Wire.mapper().valueToTree(StoryView.of(story));
    assertThat(tree.get("title").isTextual()).isTrue();
    assertThat(tree.get("paragraphs").size()).isEqualTo(story.paragraphs().size());
  }

  @Test
  void decimalsAreWrittenPlain() throws Exception {
    String json = Wire.mapper().writeValueAsString(StoryView.of(story));
    assertThat(json).contains("\"estimatedCostUsd\":0.000222");
  }

  @Test
  void theStoredFormReadsBackToTheSameStory() throws Exception {
    byte[] bytes = Wire.mapper().writeValueAsBytes(StoryDocument.of(story));
    assertThat(Wire.mapper().readValue(bytes, StoryDocument.class).toStory()).isEqualTo(story);
  }
}
