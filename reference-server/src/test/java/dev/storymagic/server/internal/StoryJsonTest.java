package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storymagic.Story;
import dev.storymagic.testing.SampleStories;
import org.junit.jupiter.api.Test;

class StoryJsonTest {
  final StoryJson json = new StoryJson();

  @Test
  void theStreamedStoryBytesEqualTheStoryTree() throws Exception {
    Story story = SampleStories.story("owner-1");
    String bytes = new String(json.storyBytes(story), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(bytes).isEqualTo(json.string(json.story(story)));
    assertThat(bytes).contains("\"estimatedCostUsd\":0.000222");
    JsonNode streamed = json.mapper().readTree(bytes);
    assertThat(streamed.get("ageGroup").asText()).isEqualTo(story.request().ageGroup().label());
    assertThat(streamed.get("quality").get("wordCount").asInt()).isEqualTo(story.quality().wordCount());
    assertThat(streamed.has("owner")).as("the owner's uid is never echoed").isFalse();
  }
}
