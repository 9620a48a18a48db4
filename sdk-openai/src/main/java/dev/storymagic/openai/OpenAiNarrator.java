package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.AgeGroup;
import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import dev.storymagic.openai.internal.MediaCalls;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.spi.Narrator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The story read aloud by an OpenAI-compatible speech endpoint ({@code POST /v1/audio/speech};
 * {@code gpt-4o-mini-tts} and compatible servers), as MP3: one recording of the whole story, or one
 * per paragraph (always when the story is longer than the endpoint's input limit). The voice, pace
 * and reading instructions suit the age group: slower and warmer for the youngest. Same resilience
 * as the story calls; cost estimated from the listening time.
 */
public final class OpenAiNarrator extends MediaClient implements Narrator {
  public static final String DEFAULT_MODEL = "gpt-4o-mini-tts";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** The longest input the speech endpoint takes, in characters. */
  public static final int MAX_INPUT_CHARS = 4096;

  /** gpt-4o-mini-tts costs about 1.5 US cents per minute of speech. */
  public static final BigDecimal DEFAULT_USD_PER_MINUTE = new BigDecimal("0.015");

  /** Bump when the voices, paces or instructions change: part of the recordings' cache key. */
  public static final String VERSION = "voice-1";

  private static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a story is read to one age group. */
  record Voice(String voice, double speed, int wordsPerMinute, String instructions) {}

  static Voice voiceFor(AgeGroup ageGroup) {
    return switch (ageGroup) {
      case AGES_3_5 ->
          new Voice(
              "coral",
              0.85,
              110,
              "Read slowly and warmly to a small child at bedtime, "
                  + "with gentle pauses between sentences and a smile in the voice.");
      case AGES_6_8 ->
          new Voice(
              "sage",
              0.95,
              130,
              "Read like a friendly storyteller to a young child: clear, "
                  + "cheerful and unhurried, with a little expression for each character.");
      case AGES_9_12 ->
          new Voice(
              "alloy",
              1.0,
              150,
              "Read as an engaging audiobook narrator for older children: "
                  + "natural pace, lively but calm.");
    };
  }

  private final boolean perParagraph;

  private OpenAiNarrator(Builder b) {
    super(b, b.open(JSON));
    this.perParagraph = b.perParagraph;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<GeneratedAsset> narrate(Story story) {
    requireNonNull(story, "story");
    checkOpen("narrator");
    Voice voice = voiceFor(story.request().ageGroup());
    String whole = story.title() + ".\n\n" + story.text();
    List<GeneratedAsset> out = new ArrayList<>();
    if (!perParagraph && whole.length() <= MAX_INPUT_CHARS) {
      out.add(speak(whole, 0, voice, "The story read aloud."));
      return out;
    }
    List<String> paragraphs = new ArrayList<>();
    paragraphs.add(story.title() + ".");
    paragraphs.addAll(story.paragraphs());
    for (int i = 0; i < paragraphs.size(); i++) {
      String p = paragraphs.get(i);
      String text = p.length() <= MAX_INPUT_CHARS ? p : p.substring(0, MAX_INPUT_CHARS);
      out.add(
          speak(
              text,
              i + 1,
              voice,
              i == 0 ? "The title read aloud." : "Paragraph " + i + " read aloud."));
    }
    return out;
  }

  private GeneratedAsset speak(String text, int index, Voice voice, String alt) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("model", model)
            .put("input", text)
            .put("voice", voice.voice())
            .put("instructions", voice.instructions())
            .put("speed", voice.speed())
            .put("response_format", "mp3");
    MediaCalls.Answer answer = calls.post("audio/speech", body, MAX_ANSWER_BYTES);
    byte[] audio = answer.body();
    if (audio.length < 4 || !isMp3(audio)) {
      throw new StoryMagicException.ModelFailure(
          StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE,
          "openai-speech:"
              + model
              + " answered "
              + audio.length
              + " bytes of "
              + answer.contentType()
              + ", not an MP3 recording",
          200,
          null);
    }
    int words = text.split("\\s+").length;
    BigDecimal minutes =
        BigDecimal.valueOf(words)
            .divide(BigDecimal.valueOf(voice.wordsPerMinute()), 6, RoundingMode.HALF_UP);
    return new GeneratedAsset(
        AssetKind.NARRATION,
        index,
        AssetType.MP3,
        audio,
        alt,
        model,
        minutes.multiply(price).setScale(6, RoundingMode.HALF_UP));
  }

  /** An ID3 tag or an MPEG audio frame sync. */
  static boolean isMp3(byte[] b) {
    return (b[0] == 'I' && b[1] == 'D' && b[2] == '3')
        || ((b[0] & 0xff) == 0xFF && (b[1] & 0xe0) == 0xe0);
  }

  @Override
  public String promptVersion() {
    return VERSION + (perParagraph ? "/paragraphs" : "/whole");
  }

  /** Options, each set at most once. */
  public static final class Builder extends MediaClientBuilder<Builder> {
    private boolean perParagraph;

    private Builder() {
      super("openai-speech", DEFAULT_MODEL, DEFAULT_TIMEOUT, DEFAULT_USD_PER_MINUTE);
    }

    /**
     * One recording per paragraph (and one for the title) instead of one for the story; default
     * false.
     */
    public Builder perParagraph(boolean perParagraph) {
      once("perParagraph");
      this.perParagraph = perParagraph;
      return this;
    }

    /** The price of a minute of speech; default {@code 0.015}. */
    public Builder usdPerMinute(BigDecimal usd) {
      return price("usdPerMinute", usd);
    }

    /**
     * Builds the narrator.
     *
     * @throws IllegalStateException without a key for OpenAI's own API
     */
    public OpenAiNarrator build() {
      return new OpenAiNarrator(this);
    }
  }
}
