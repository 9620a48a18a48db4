package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.ArrayList;
import java.util.List;

/** Chat Completions answers as the OpenAI API gives them, for WireMock. */
final class OpenAiStub {
  private OpenAiStub() {}

  static MappingBuilder chat() {
    return post("/v1/chat/completions");
  }

  static MappingBuilder moderations() {
    return post("/v1/moderations");
  }

  /** A moderation result with every category at a low score, or {@code flagged} scored high. */
  static ResponseDefinitionBuilder moderation(String... flagged) {
    ObjectNode root = Http.JSON.createObjectNode().put("id", "modr-1").put("model", "omni-moderation-2024-09-26");
    ObjectNode result = root.putArray("results").addObject();
    result.put("flagged", flagged.length > 0);
    ObjectNode categories = result.putObject("categories");
    ObjectNode scores = result.putObject("category_scores");
    for (String label : List.of("sexual", "sexual/minors", "harassment", "harassment/threatening", "hate",
        "hate/threatening", "illicit", "illicit/violent", "self-harm", "self-harm/intent", "self-harm/instructions",
        "violence", "violence/graphic")) {
      boolean hit = List.of(flagged).contains(label);
      categories.put(label, hit);
      scores.put(label, hit ? 0.97 : 0.001);
    }
    return okJson(root.toString());
  }

  static MappingBuilder models() {
    return get("/v1/models");
  }

  static ResponseDefinitionBuilder modelsOk() {
    return okJson("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}");
  }

  /** A gentle story long enough for ages 6-8, short length. */
  static List<String> paragraphs() {
    return paragraphs("Mia");
  }

  static List<String> paragraphs(String hero) {
    List<String> ps = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ps.add(hero + " looked up at the bright stars and smiled at the moon. She packed a small bag with a warm"
          + " scarf and a red apple. Her friend Leo the cat walked with her to the quiet hill. They counted"
          + " the stars together and shared the apple. Part " + i + " ended with a happy yawn.");
    }
    return ps;
  }

  static ResponseDefinitionBuilder completion() {
    return completion("Mia");
  }

  static ResponseDefinitionBuilder completion(String hero) {
    ObjectNode story = Http.JSON.createObjectNode().put("title", hero + " and the Quiet Hill");
    ArrayNode ps = story.putArray("paragraphs");
    paragraphs(hero).forEach(ps::add);
    ObjectNode root = Http.JSON.createObjectNode().put("id", "chatcmpl-test").put("object", "chat.completion")
        .put("created", 1_700_000_000L).put("model", "gpt-4o-mini-2024-07-18");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", story.toString()).putNull("refusal");
    choice.put("finish_reason", "stop");
    root.putObject("usage").put("prompt_tokens", 420).put("completion_tokens", 380).put("total_tokens", 800);
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(root.toString());
  }
}
