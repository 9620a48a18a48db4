package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.AssetType;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Story;
import dev.storymagic.StoryMagicException;
import dev.storymagic.internal.art.ScenePlan;
import dev.storymagic.internal.art.SvgIllustrator;
import dev.storymagic.openai.internal.MediaCalls;
import dev.storymagic.openai.internal.PicturePrompts;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.spi.Illustrator;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Pictures from an OpenAI-compatible images endpoint ({@code POST /v1/images/generations}; {@code
 * gpt-image-1} and compatible servers). Each picture's prompt is built from the story's theme,
 * setting and the characters' looks (never names or free text), moderated by the configured {@link
 * SafetyFilter} before it is sent, and the call has the story calls' resilience: a timeout per
 * attempt, retries of 429 and 5xx after {@code Retry-After}. Its cost is estimated from the token
 * usage the endpoint reports, else from a price per picture.
 */
public final class OpenAiIllustrator extends MediaClient implements Illustrator {
  public static final String DEFAULT_MODEL = "gpt-image-1";
  public static final String DEFAULT_SIZE = "1024x1024";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** gpt-image-1's list prices in US dollars per million tokens: text input, image output. */
  public static final BigDecimal INPUT_USD_PER_MILLION = new BigDecimal("5.00");

  public static final BigDecimal OUTPUT_USD_PER_MILLION = new BigDecimal("40.00");

  /**
   * The price of a picture when the endpoint reports no usage (gpt-image-1, low quality, 1024 by
   * 1024).
   */
  public static final BigDecimal DEFAULT_USD_PER_PICTURE = new BigDecimal("0.011");

  private static final long MAX_ANSWER_BYTES = 32L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String size;
  private final Optional<String> quality;
  private final Optional<String> outputFormat;
  private final Optional<SafetyFilter> moderation;
  private final SafetyPolicy policy;

  private OpenAiIllustrator(Builder b) {
    super(b, b.open(JSON));
    this.size = b.size;
    this.quality = Optional.ofNullable(b.quality);
    this.outputFormat = Optional.ofNullable(b.outputFormat);
    this.moderation = Optional.ofNullable(b.moderation);
    this.policy = b.policy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The cover and up to {@code maxScenes} scenes.
   *
   * @throws StoryMagicException.UnsafeInput when the moderation filter blocks a picture's prompt
   *     (nothing is sent)
   * @throws StoryMagicException.ModelFailure {@code CONTENT_FILTERED} when the endpoint refuses a
   *     prompt, {@code INVALID_RESPONSE} when it answers something that is not a picture
   * @throws dev.storymagic.StoryMagicException.ModelUnavailable when the endpoint stays unavailable
   */
  @Override
  public List<GeneratedAsset> illustrate(Story story, int maxScenes) {
    requireNonNull(story, "story");
    checkOpen("illustrator");
    List<ScenePlan> plans = ScenePlan.plan(story, maxScenes);
    List<String> prompts = new ArrayList<>(plans.size());
    for (ScenePlan plan : plans) {
      String prompt = PicturePrompts.of(plan, story.request().ageGroup());
      moderation.ifPresent(
          filter -> {
            SafetyVerdict verdict =
                filter
                    .assess(prompt, SafetyStage.INPUT)
                    .verdict(story.request().ageGroup(), policy);
            if (verdict.blocked()) {
              throw new StoryMagicException.UnsafeInput(verdict);
            }
          });
      prompts.add(prompt);
    }
    List<GeneratedAsset> pictures = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      pictures.add(draw(plans.get(i), prompts.get(i)));
    }
    return pictures;
  }

  private GeneratedAsset draw(ScenePlan plan, String prompt) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("model", model)
            .put("prompt", prompt)
            .put("n", 1)
            .put("size", size);
    quality.ifPresent(q -> body.put("quality", q));
    outputFormat.ifPresent(f -> body.put("output_format", f));
    MediaCalls.Answer answer = calls.post("images/generations", body, MAX_ANSWER_BYTES);
    JsonNode root;
    try {
      root = JSON.readTree(answer.body());
    } catch (IOException e) {
      throw invalid("an answer that is not JSON", e);
    }
    String b64 = root.path("data").path(0).path("b64_json").asText("");
    if (b64.isEmpty()) {
      throw invalid("an answer without data[0].b64_json", null);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw invalid("data[0].b64_json that is not base64", e);
    }
    AssetType type =
        sniff(bytes).orElseThrow(() -> invalid("a picture that is not PNG, WebP or JPEG", null));
    return new GeneratedAsset(
        plan.kind(),
        plan.index(),
        type,
        bytes,
        SvgIllustrator.altText(plan),
        model,
        cost(root.path("usage")));
  }

  private BigDecimal cost(JsonNode usage) {
    if (!usage.isObject() || !usage.has("output_tokens")) {
      return price;
    }
    BigDecimal in =
        BigDecimal.valueOf(usage.path("input_tokens").asLong(0)).multiply(INPUT_USD_PER_MILLION);
    BigDecimal out =
        BigDecimal.valueOf(usage.path("output_tokens").asLong(0)).multiply(OUTPUT_USD_PER_MILLION);
    return in.add(out).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);
  }

  /** The picture's type from its first bytes: PNG, WebP or JPEG. */
  static Optional<AssetType> sniff(byte[] b) {
    if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return Optional.of(AssetType.PNG);
    }
    if (b.length > 12
        && b[0] == 'R'
        && b[1] == 'I'
        && b[2] == 'F'
        && b[3] == 'F'
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return Optional.of(AssetType.WEBP);
    }
    if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
      return Optional.of(AssetType.JPEG);
    }
    return Optional.empty();
  }

  private StoryMagicException.ModelFailure invalid(String what, Throwable cause) {
    return new StoryMagicException.ModelFailure(
        StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE,
        "openai-images:" + model + " answered " + what,
        200,
        cause);
  }

  @Override
  public String promptVersion() {
    return PicturePrompts.VERSION
        + "/"
        + size
        + "/"
        + quality.orElse("auto")
        + "/"
        + outputFormat.orElse("default");
  }

  /** Options, each set at most once. */
  public static final class Builder extends MediaClientBuilder<Builder> {
    private String size = DEFAULT_SIZE;
    private String quality = "low";
    private String outputFormat = "webp";
    private SafetyFilter moderation;
    private SafetyPolicy policy = SafetyPolicy.defaults();

    private Builder() {
      super("openai-images", DEFAULT_MODEL, DEFAULT_TIMEOUT, DEFAULT_USD_PER_PICTURE);
    }

    /** The picture size such as {@code "1024x1024"}; default {@value #DEFAULT_SIZE}. */
    public Builder size(String size) {
      once("size");
      if (!requireNonNull(size, "size").matches("\\d{2,4}x\\d{2,4}")) {
        throw new IllegalArgumentException("size must look like 1024x1024: " + size);
      }
      this.size = size;
      return this;
    }

    /**
     * {@code quality} and {@code output_format} as gpt-image-1 takes them (default {@code "low"},
     * {@code "webp"}); null leaves a field out, for servers that do not know it.
     */
    public Builder format(String quality, String outputFormat) {
      once("format");
      this.quality = quality;
      this.outputFormat = outputFormat;
      return this;
    }

    /**
     * Moderates every picture prompt before it is sent (such as {@link OpenAiModerationFilter}),
     * judged by {@code policy} for the story's age group.
     */
    public Builder moderation(SafetyFilter filter, SafetyPolicy policy) {
      once("moderation");
      this.moderation = requireNonNull(filter, "filter");
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /** The price of one picture when the endpoint reports no usage; default {@code 0.011}. */
    public Builder usdPerPicture(BigDecimal usd) {
      return price("usdPerPicture", usd);
    }

    /**
     * Builds the illustrator.
     *
     * @throws IllegalStateException without a key for OpenAI's own API
     */
    public OpenAiIllustrator build() {
      return new OpenAiIllustrator(this);
    }
  }
}
