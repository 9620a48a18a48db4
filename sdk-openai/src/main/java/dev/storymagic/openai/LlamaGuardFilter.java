package dev.storymagic.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.Severity;
import dev.storymagic.openai.internal.HttpTransport;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link SafetyFilter} on a self-hosted Llama Guard 3 model served over an OpenAI-compatible chat
 * endpoint (vLLM, Ollama, llama.cpp's server), for deployments that cannot send children's text to
 * a third party.
 *
 * <pre>{@code
 * LlamaGuardFilter guard = LlamaGuardFilter.builder()
 *     .baseUrl("http://localhost:11434/v1").model("llama-guard3:8b")   // Ollama
 *     .build();
 * StoryMagic magic = StoryMagic.builder().model(model).moderation(guard).build();
 * }</pre>
 *
 * <p><b>Prompt.</b> The text goes to {@code POST /chat/completions} as the conversation Llama Guard
 * classifies; the server applies the model's own chat template, which wraps it in Llama Guard 3's
 * task, its 14 hazard categories and the output instructions. User text (the input stage) is sent
 * as the {@code user} turn; a story (the output stage) as the {@code assistant} turn answering a
 * request for a children's story, so the model judges the story, not the request. Deterministic
 * ({@code temperature 0}), at most 20 output tokens.
 *
 * <p><b>Answer.</b> {@code safe}, or {@code unsafe} and on the next line the violated categories
 * such as {@code S1,S10}. Each category maps onto a {@link SafetyCategory} with a fixed severity
 * (the table is {@link #CATEGORIES}) as a decisive finding (score 1.0), which blocks unless the
 * {@link dev.storymagic.SafetyPolicy} allows that category for the age group. Categories with no
 * children's-safety counterpart (S8 intellectual property, S13 elections) are not reported. Any
 * other answer is unreadable and handled as an outage.
 *
 * <p><b>Outages and caching</b> work exactly as for {@link OpenAiModerationFilter} (the code is
 * shared): verdicts cached by the SHA-256 of the text for an hour, concurrent checks of one text
 * share one call; input fails open and output fails closed by default ({@link Builder#onOutage}),
 * and a server without the chat endpoint or without the model (HTTP 404) is reported as absent.
 *
 * <p>Not incremental: the pipeline runs it on whole stories. Thread-safe; {@link #close()} releases
 * its share of the connection pool.
 */
public final class LlamaGuardFilter extends RemoteFilter<LlamaGuardFilter.Answer> {
  /**
   * The model used unless {@link Builder#model(String)} names another: Ollama's name for Llama
   * Guard 3.
   */
  public static final String DEFAULT_MODEL = "llama-guard3";

  /**
   * Default limit for one call, connecting included: 10 seconds (a local 8B model on a modest GPU).
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The source of findings from Llama Guard's answers. */
  public static final String SOURCE = "llama-guard";

  /**
   * The turn a story is presented as answering, so the model judges the story as the assistant's
   * reply.
   */
  static final String STORY_REQUEST = "Please write a short story for a child.";

  /** How one Llama Guard 3 hazard category maps onto StoryMagic's. */
  public record CategoryMapping(
      String code, String name, SafetyCategory category, Severity severity) {}

  /**
   * Llama Guard 3's 14 categories (the MLCommons hazard taxonomy) and their StoryMagic
   * counterparts, in one place. S8 and S13 have none and are not reported.
   */
  public static final Map<String, Optional<CategoryMapping>> CATEGORIES = categories();

  private static Map<String, Optional<CategoryMapping>> categories() {
    Map<String, Optional<CategoryMapping>> m = new java.util.LinkedHashMap<>();
    map(m, "S1", "Violent Crimes", SafetyCategory.VIOLENCE, Severity.HIGH);
    map(m, "S2", "Non-Violent Crimes", SafetyCategory.ILLICIT, Severity.HIGH);
    map(m, "S3", "Sex-Related Crimes", SafetyCategory.SEXUAL, Severity.HIGH);
    map(m, "S4", "Child Sexual Exploitation", SafetyCategory.SEXUAL_MINORS, Severity.HIGH);
    // Defamation targets a real person: the nearest harm for a child reader is harassment.
    map(m, "S5", "Defamation", SafetyCategory.HARASSMENT, Severity.MEDIUM);
    // Specialised (medical, legal, financial) advice: unsafe instructions for a child to follow.
    map(m, "S6", "Specialized Advice", SafetyCategory.ILLICIT, Severity.MEDIUM);
    map(m, "S7", "Privacy", SafetyCategory.PERSONAL_DATA, Severity.HIGH);
    m.put("S8", Optional.empty()); // Intellectual Property
    map(m, "S9", "Indiscriminate Weapons", SafetyCategory.ILLICIT_VIOLENT, Severity.HIGH);
    map(m, "S10", "Hate", SafetyCategory.HATE, Severity.HIGH);
    map(m, "S11", "Suicide & Self-Harm", SafetyCategory.SELF_HARM, Severity.HIGH);
    map(m, "S12", "Sexual Content", SafetyCategory.SEXUAL, Severity.HIGH);
    m.put("S13", Optional.empty()); // Elections
    // Code interpreter abuse in a story request is an attempt to steer the model elsewhere.
    map(m, "S14", "Code Interpreter Abuse", SafetyCategory.PROMPT_INJECTION, Severity.MEDIUM);
    return java.util.Collections.unmodifiableMap(m);
  }

  private static void map(
      Map<String, Optional<CategoryMapping>> m,
      String code,
      String name,
      SafetyCategory category,
      Severity severity) {
    m.put(code, Optional.of(new CategoryMapping(code, name, category, severity)));
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BODY_BYTES = 256 * 1024;
  private static final Pattern CODE = Pattern.compile("S(\\d{1,2})");

  /** What Llama Guard answered for one text: the codes it named, empty when safe. */
  record Answer(Set<String> codes) {}

  private LlamaGuardFilter(Builder b, OpenAiConnection connection, HttpTransport transport) {
    super(b, SOURCE, b.calls("Llama Guard", JSON, connection, transport, MAX_BODY_BYTES));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Classifies {@code text} as the stage's turn, from the cache when it was seen before. Never
   * throws for an outage: the stage's {@link OutagePolicy} answers instead.
   */
  @Override
  public SafetyAssessment assess(String text, SafetyStage stage) {
    String turn = stage == SafetyStage.OUTPUT ? "assistant" : "user";
    return verdicts.assess(text, stage, t -> fetch(t, turn), LlamaGuardFilter::findings);
  }

  /**
   * Changes with the judging model: another model's verdicts must not be served from a story cache.
   */
  @Override
  public String version() {
    return SOURCE + ":" + model + ":1";
  }

  private Answer fetch(String text, String turn) {
    ObjectNode body =
        JSON.createObjectNode().put("model", model).put("temperature", 0).put("max_tokens", 20);
    ArrayNode messages = body.putArray("messages");
    if (turn.equals("assistant")) {
      messages.addObject().put("role", "user").put("content", STORY_REQUEST);
    }
    messages.addObject().put("role", turn).put("content", text);
    JsonNode answer =
        calls.post(
            "chat/completions",
            body,
            "no chat endpoint or no model '" + model + "' on this server");
    JsonNode content = answer.path("choices").path(0).path("message").path("content");
    if (!content.isTextual()) {
      throw new IllegalStateException("Llama Guard answer without choices[0].message.content");
    }
    return parse(content.asText());
  }

  /** Reads {@code safe} or {@code unsafe\nS1,S10}; anything else is unreadable. */
  static Answer parse(String content) {
    String[] lines = content.strip().split("\\s*\\n\\s*");
    String verdict = lines[0].strip().toLowerCase(Locale.ROOT);
    if (verdict.equals("safe")) {
      return new Answer(Set.of());
    }
    if (!verdict.equals("unsafe")) {
      throw new IllegalStateException(
          "unreadable Llama Guard answer (expected 'safe' or 'unsafe'): "
              + (verdict.length() > 40 ? verdict.substring(0, 40) + "..." : verdict));
    }
    Set<String> codes = new LinkedHashSet<>();
    if (lines.length > 1) {
      var m = CODE.matcher(lines[1]);
      while (m.find()) {
        codes.add("S" + Integer.parseInt(m.group(1)));
      }
    }
    for (String code : codes) {
      if (!CATEGORIES.containsKey(code)) {
        throw new IllegalStateException("Llama Guard named an unknown category: " + code);
      }
    }
    if (codes.isEmpty()) {
      throw new IllegalStateException("Llama Guard answered 'unsafe' without naming a category");
    }
    return new Answer(Set.copyOf(codes));
  }

  static List<SafetyFinding> findings(Answer answer) {
    List<SafetyFinding> findings = new ArrayList<>();
    for (String code : answer.codes()) {
      CATEGORIES
          .get(code)
          .ifPresent(
              c ->
                  findings.add(
                      SafetyFinding.of(
                          c.category(),
                          c.severity(),
                          SafetyFinding.DECISIVE,
                          -1,
                          -1,
                          SOURCE + ":" + code)));
    }
    return findings;
  }

  /**
   * Builds {@link LlamaGuardFilter}. Either {@link #from(OpenAiStoryModel)} a model served by the
   * same server (sharing its endpoint, credentials and connection pool) or give the endpoint
   * directly; setting an option twice is an {@link IllegalStateException}.
   */
  public static final class Builder extends RemoteFilterBuilder<Builder> {
    private Builder() {
      super(DEFAULT_MODEL, DEFAULT_TIMEOUT);
    }

    /**
     * The guard model's name on the server: {@code llama-guard3:8b} on Ollama, {@code
     * meta-llama/Llama-Guard-3-8B} on vLLM; 1 to 256 characters.
     */
    @Override
    void checkModel(String model) {
      require(!model.isBlank() && model.length() <= 256, "model must be 1..256 characters");
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalStateException if neither a model nor a connection or base URL was given, or
     *     both
     */
    public LlamaGuardFilter build() {
      if (!fromModel() && !connectionIsSet()) {
        throw new IllegalStateException(
            "set baseUrl(...) to the server that serves Llama Guard, or build from(model)");
      }
      return open(
          false, (connection, transport) -> new LlamaGuardFilter(this, connection, transport));
    }
  }
}
