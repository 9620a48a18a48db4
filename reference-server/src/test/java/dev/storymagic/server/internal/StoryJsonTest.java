package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.internal.wire.StoryView;
import dev.storymagic.testing.SampleStories;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoryJsonTest {
  final StoryJson json = new StoryJson();

  /**
   * A client sends the request's own fields and the asset options; the owner and the idempotency
   * key come from the caller's identity and a header, never from the body.
   */
  @Test
  void aRequestBodyCarriesTheRequestFieldsAndAssetOptionsOnly() {
    assertThat(
            json.readRequest(
                    body(
                        "{\"theme\":\"space\",\"fresh\":true,\"illustrate\":true,\"narrate\":false}"))
                .request()
                .theme())
        .isEqualTo("space");
    for (String field : List.of("owner", "idempotencyKey", "colour")) {
      assertThatThrownBy(
              () -> json.readRequest(body("{\"theme\":\"space\",\"" + field + "\":\"x\"}")))
          .isInstanceOf(ApiException.class)
          .hasMessage(
              "invalid_request: "
                  + field
                  + ": unknown field; allowed: ageGroup, characters, fresh, idea, illustrate,"
                  + " language, length, moral, narrate, setting, theme");
    }
  }

  private static byte[] body(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theStreamedStoryBytesEqualTheStoryTree() throws Exception {
    Story story = SampleStories.story("owner-1");
    String bytes = new String(json.storyBytes(story), StandardCharsets.UTF_8);
    assertThat(bytes).isEqualTo(json.string(json.story(story)));
    assertThat(bytes).contains("\"estimatedCostUsd\":0.000222");
    JsonNode streamed = json.mapper().readTree(bytes);
    assertThat(streamed.get("ageGroup").asText()).isEqualTo(story.request().ageGroup().label());
    assertThat(streamed.get("quality").get("wordCount").asInt())
        .isEqualTo(story.quality().wordCount());
    assertThat(streamed.has("owner")).as("the owner's uid is never echoed").isFalse();
  }

  /**
   * A read answers the story with its assets from the bytes of the last read of that story while it
   * is the same story, and never a changed story (same id) from bytes written before the change.
   */
  @Test
  void aStoryReadAgainIsWrittenAsTheFirstReadAndAChangedOneAfresh() throws Exception {
    Story story = SampleStories.story("owner-1");
    String first = new String(json.storyBytes(story, List.of()), StandardCharsets.UTF_8);
    String tree = json.string(json.story(story));
    assertThat(first).isEqualTo(tree.substring(0, tree.length() - 1) + ",\"assets\":[]}");
    assertThat(new String(json.storyBytes(story, List.of()), StandardCharsets.UTF_8))
        .isEqualTo(first);

    dev.storymagic.StoryAsset cover =
        new dev.storymagic.StoryAsset(
            "stories/" + "a".repeat(64) + ".svg",
            story.id(),
            dev.storymagic.AssetKind.COVER,
            0,
            dev.storymagic.AssetType.SVG,
            123,
            "a lost star",
            "offline",
            Instant.parse("2025-01-02T03:04:05Z"));
    JsonNode withCover = json.mapper().readTree(json.storyBytes(story, List.of(cover)));
    assertThat(withCover.get("assets").size()).isOne();
    assertThat(withCover.get("assets").get(0).get("alt").asText()).isEqualTo("a lost star");
    ((ObjectNode) withCover).remove("assets");
    assertThat(withCover).isEqualTo(json.mapper().readTree(json.storyBytes(story)));

    Story retitled = SampleStories.retitled(story, "Mia and the Found Star");
    assertThat(retitled.id()).isEqualTo(story.id());
    JsonNode changed = json.mapper().readTree(json.storyBytes(retitled, List.of()));
    assertThat(changed.get("title").asText()).isEqualTo("Mia and the Found Star");
    assertThat(changed.get("assets").size()).isZero();
  }

  /**
   * The documented story answer, field by field and in order (the bytes the API has always sent).
   */
  @Test
  void aStoryIsWrittenAsTheDocumentedAnswer() throws Exception {
    Story story = SampleStories.story("owner-1", Instant.parse("2025-01-02T03:04:05Z"));
    String expected =
        "{\"id\":\""
            + story.id()
            + "\",\"title\":\"Mia and the Lost Star\","
            + "\"paragraphs\":[\"Mia looked up at the night sky. A tiny light blinked at her.\","
            + "\"Bolt the robot beeped. \\\"That star is lost,\\\" he said.\","
            + "\"Together they built a ladder of moonbeams and carried the star home. They shared their cocoa with it.\"],"
            + "\"text\":\"Mia looked up at the night sky. A tiny light blinked at her.\\n\\n"
            + "Bolt the robot beeped. \\\"That star is lost,\\\" he said.\\n\\n"
            + "Together they built a ladder of moonbeams and carried the star home. They shared their cocoa with it.\","
            + "\"theme\":\"space\",\"ageGroup\":\"6-8\",\"length\":\"short\",\"language\":\"en\","
            + "\"characters\":[{\"name\":\"Mia\",\"description\":\"a curious girl who loves stars\"},"
            + "{\"name\":\"Bolt\",\"description\":\"a small friendly robot\"}],\"moral\":\"sharing\","
            + "\"model\":\"offline-1\",\"templateVersion\":\"story-v1\","
            + "\"usage\":{\"inputTokens\":120,\"outputTokens\":340,\"totalTokens\":460},"
            + "\"estimatedCostUsd\":0.000222,\"quality\":{\"wordCount\":"
            + story.quality().wordCount()
            + ",\"readingGrade\":2.1,\"passed\":"
            + story.quality().passed()
            + ",\"problems\":"
            + json.mapper().writeValueAsString(story.quality().problems())
            + "},"
            + "\"safety\":{\"allowed\":true,\"policyVersion\":\"default-1\"},\"attempts\":1,"
            + "\"createdAt\":\"2025-01-02T03:04:05Z\",\"timings\":{\"totalMs\":12,\"modelMs\":10}}";

    assertThat(new String(json.storyBytes(story), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(json.string(json.story(story))).isEqualTo(expected);
    assertThat(json.story(story).get("title").asText()).isEqualTo("Mia and the Lost Star");
  }

  /**
   * Each delivery of one generation (the same body) is written as Jackson writes its whole view:
   * its own id, time and timings, and the shared fields reused only while they are the same.
   */
  @Test
  void deliveriesOfOneStoryAreWrittenAsTheirWholeView() throws Exception {
    Story generated = SampleStories.story("owner-1");
    StoryRequest other =
        generated.request().toBuilder()
            .language("de")
            .setting("a \"quiet\" hill \u00e9\u2603")
            .characters(List.of())
            .character("Zo\u00eb", "says \"hi\"\n")
            .build();
    List<Story> deliveries =
        List.of(
            generated,
            delivered(generated, generated.request(), 3, "2026-02-03T04:05:06.123456Z"),
            delivered(
                generated, generated.request().withOwner("owner-2"), 0, "2026-02-03T04:05:07Z"),
            delivered(generated, other, 7, "2026-02-03T04:05:08.5Z"),
            delivered(generated, generated.request(), 1, "2026-02-03T04:05:09Z"));
    for (Story s : deliveries) {
      assertThat(new String(json.storyBytes(s), StandardCharsets.UTF_8))
          .as("delivery %s", s.id())
          .isEqualTo(json.mapper().writeValueAsString(StoryView.of(s)));
    }
  }

  /**
   * More stories than the recent bodies have slots, each answered twice: each with its own text.
   */
  @Test
  void manyStoriesAnsweredInTurnEachKeepTheirOwnBody() throws Exception {
    List<Story> stories = new java.util.ArrayList<>();
    for (int i = 0; i < StoryJson.RECENT_BODIES * 3; i++) {
      Story s = SampleStories.retitled(SampleStories.story("owner-" + i), "Story number " + i);
      stories.add(
          i % 2 == 0 ? s : delivered(s, s.request(), i, "2026-02-03T04:05:06Z")); // shared bodies
    }
    for (int round = 0; round < 2; round++) {
      for (Story s : stories) {
        assertThat(new String(json.storyBytes(s), StandardCharsets.UTF_8))
            .isEqualTo(json.mapper().writeValueAsString(StoryView.of(s)));
      }
    }
  }

  /** An id this server would not make (a store may hold any) is escaped as Jackson escapes it. */
  @Test
  void anIdThatNeedsEscapingIsWrittenAsTheWholeViewIs() throws Exception {
    Story generated = SampleStories.story("owner-1");
    for (String id :
        List.of("a \"quoted\" id", "back\\slash", "caf\u00e9", "line\nbreak", "plain-id_1.2:3")) {
      Story s =
          generated.deliveredAs(
              id,
              generated.request(),
              CacheTier.L1,
              new Timings(Duration.ofMillis(12), Duration.ofMillis(3)),
              Instant.parse("2026-02-03T04:05:06Z"));
      assertThat(new String(json.storyBytes(s), StandardCharsets.UTF_8))
          .as("id %s", id)
          .isEqualTo(json.mapper().writeValueAsString(StoryView.of(s)));
    }
    assertThat(StoryJson.isPlain(UUID.randomUUID().toString())).isTrue();
    assertThat(StoryJson.isPlain("a \"quoted\" id")).isFalse();
  }

  private static Story delivered(Story base, StoryRequest request, long totalMs, String at) {
    return base.deliveredAs(
        UUID.randomUUID().toString(),
        request,
        CacheTier.L1,
        new Timings(Duration.ofMillis(totalMs), Duration.ZERO),
        Instant.parse(at));
  }
}
