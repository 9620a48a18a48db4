package dev.storymagic.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.StoryMagicException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a story from whatever shape a server's message content came in. */
class ChatProtocolStoryTest {
  private final ChatProtocol protocol = new ChatProtocol(new ObjectMapper());
  private final ProviderErrors errors =
      new ProviderErrors(new ObjectMapper(), Clock.systemUTC(), "test:model");

  @Test
  void structuredJson_fencedOrNot() {
    String json = "{\"title\":\"Mia\",\"paragraphs\":[\"One.\",\"Two.\"]}";
    assertThat(protocol.story(json, errors))
        .isEqualTo(new ChatProtocol.StoryFields("Mia", List.of("One.", "Two.")));
    assertThat(protocol.story("```json\n" + json + "\n```", errors))
        .isEqualTo(new ChatProtocol.StoryFields("Mia", List.of("One.", "Two.")));
  }

  @Test
  void jsonObjectWithTheStoryAsOneString_isSplitIntoParagraphs() {
    assertThat(protocol.story("{\"title\":\"Mia\",\"story\":\"One.\\n\\nTwo.\"}", errors))
        .isEqualTo(new ChatProtocol.StoryFields("Mia", List.of("One.", "Two.")));
  }

  @Test
  void prose_fencedOrNot_isReadInThePlainTextLayout() {
    assertThat(protocol.story("Mia and the Star\n\nOne.\n\nTwo.", errors))
        .isEqualTo(new ChatProtocol.StoryFields("Mia and the Star", List.of("One.", "Two.")));
    assertThat(protocol.story("```\nMia and the Star\n\nOne.\n\nTwo.\n```", errors))
        .isEqualTo(new ChatProtocol.StoryFields("Mia and the Star", List.of("One.", "Two.")));
  }

  @Test
  void emptyOrStorylessAnswers_failNamingTheFix() {
    assertThatThrownBy(() -> protocol.story("  ", errors))
        .isInstanceOfSatisfying(
            StoryMagicException.ModelFailure.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE))
        .hasMessageContaining("an empty answer")
        .hasMessageContaining("structuredOutput(false)");
    assertThatThrownBy(() -> protocol.story("{\"answer\": 42}", errors))
        .hasMessageContaining("without the \"title\" and \"paragraphs\" fields")
        .hasMessageContaining("structuredOutput(false)");
  }
}
