package dev.storymagic.server;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.storymagic.testing.openai.ChatCompletionsStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This module's story in Chat Completions answers, on the shared {@link ChatCompletionsStub} wire
 * format.
 */
final class OpenAiStub {
  private OpenAiStub() {}

  /**
   * A server on a free port whose model provider is {@code provider}, with the variables {@code
   * pairs} (name, value, ...) besides.
   */
  static ServerConfig serverConfig(WireMockServer provider, String... pairs) {
    return ServerConfig.fromEnvironment(serverEnvironment(provider, pairs));
  }

  /** The environment of {@link #serverConfig}, for a server started as a process of its own. */
  static Map<String, String> serverEnvironment(WireMockServer provider, String... pairs) {
    Map<String, String> env = ServerConfigTest.env(pairs);
    env.put("PORT", "0");
    env.put("OPENAI_API_KEY", "sk-test");
    env.put("OPENAI_BASE_URL", provider.baseUrl() + "/v1");
    return env;
  }

  static MappingBuilder chat() {
    return ChatCompletionsStub.chat();
  }

  static MappingBuilder moderations() {
    return ChatCompletionsStub.moderations();
  }

  /** A moderation result with every category at a low score, or {@code flagged} scored high. */
  static ResponseDefinitionBuilder moderation(String... flagged) {
    return ChatCompletionsStub.moderation(flagged);
  }

  static MappingBuilder models() {
    return ChatCompletionsStub.models();
  }

  static ResponseDefinitionBuilder modelsOk() {
    return ChatCompletionsStub.modelsOk();
  }

  /** A gentle story long enough for ages 6-8, short length. */
  static List<String> paragraphs() {
    return paragraphs("Mia");
  }

  static List<String> paragraphs(String hero) {
    List<String> ps = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ps.add(
          hero
              + " looked up at the bright stars and smiled at the moon. She packed a small bag with a warm"
              + " scarf and a red apple. Her friend Leo the cat walked with her to the quiet hill. They counted"
              + " the stars together and shared the apple. Part "
              + i
              + " ended with a happy yawn.");
    }
    return ps;
  }

  static ResponseDefinitionBuilder completion() {
    return completion("Mia");
  }

  static ResponseDefinitionBuilder completion(String hero) {
    return okJson(
        ChatCompletionsStub.structuredCompletion(
            hero + " and the Quiet Hill", paragraphs(hero), "stop", 420, 380));
  }
}
