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

  static MappingBuilder models() {
    return get("/v1/models");
  }

  static ResponseDefinitionBuilder modelsOk() {
    return okJson("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}");
  }

  /** A gentle story long enough for ages 6-8, short length. */
  static List<String> paragraphs() {
    List<String> ps = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ps.add("Mia looked up at the bright stars and smiled at the moon. She packed a small bag with a warm"
          + " scarf and a red apple. Her friend Leo the cat walked with her to the quiet hill. They counted"
          + " the stars together and shared the apple. Part " + i + " ended with a happy yawn.");
    }
    return ps;
  }

  static ResponseDefinitionBuilder completion() {
    ObjectNode story = Http.JSON.createObjectNode().put("title", "Mia and the Quiet Hill");
    ArrayNode ps = story.putArray("paragraphs");
    paragraphs().forEach(ps::add);
    ObjectNode root = Http.JSON.createObjectNode().put("id", "chatcmpl-test").put("object", "chat.completion")
        .put("created", 1_700_000_000L).put("model", "gpt-4o-mini-2024-07-18");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", story.toString()).putNull("refusal");
    choice.put("finish_reason", "stop");
    root.putObject("usage").put("prompt_tokens", 420).put("completion_tokens", 380).put("total_tokens", 800);
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(root.toString());
  }
}
