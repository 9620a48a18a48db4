package dev.storymagic.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the settings show when they are logged. */
class StoryMagicPropertiesTest {
  @Test
  void aKeyOrPasswordIsShownAsSetOrNotButNeverItself() {
    StoryMagicProperties.Model model =
        new StoryMagicProperties.Model(
            StoryMagicProperties.Provider.OPENAI,
            "https://api.openai.com/v1",
            "sk-test-0123456789",
            "gpt-4o-mini",
            Duration.ofSeconds(10),
            Duration.ofSeconds(45),
            Duration.ofSeconds(55),
            64,
            Duration.ZERO);
    assertThat(model)
        .hasToString(
            "Model[provider=OPENAI, baseUrl=https://api.openai.com/v1, name=gpt-4o-mini,"
                + " apiKey=***]");

    StoryMagicProperties.Redis redis =
        new StoryMagicProperties.Redis(
            "cache.internal",
            6380,
            true,
            "storymagic",
            "s3cret",
            "app:",
            Duration.ofMillis(50),
            Duration.ofHours(24),
            32,
            0);
    assertThat(redis)
        .hasToString(
            "Redis[host=cache.internal, port=6380, tls=true, password=***, keyPrefix=app:]");
    assertThat(
            new StoryMagicProperties.Redis(null, null, null, null, null, null, null, null, null, 0))
        .hasToString("Redis[host=null, port=null, tls=null, password=none, keyPrefix=null]");
  }
}
