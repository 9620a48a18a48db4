package dev.storymagic.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.AgeGroup;
import dev.storymagic.CacheTier;
import dev.storymagic.QualityReport;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.Story;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.TokenUsage;
import dev.storymagic.WordBand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link Story} into stable JSON and back, exactly: every field, every optional, the cost's
 * scale, the instant's nanoseconds. Shared by the PostgreSQL store and the Redis cache.
 *
 * <p>The document carries {@code "v": }{@value #FORMAT_VERSION}. A reader meeting another version
 * throws {@link UnsupportedFormatException}; a document that is not a story of this version throws
 * {@link MalformedStoryException}. Not API.
 */
public final class StoryCodec {
  /** The version written into every document. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(4 * 1024 * 1024).build())
      .build());

  private StoryCodec() {}

  /** Thrown when a document was written in a format version this reader does not know. */
  public static final class UnsupportedFormatException extends RuntimeException {
    private final int version;

    UnsupportedFormatException(int version) {
      this(version, "unsupported story format version " + version + " (this reader knows " + FORMAT_VERSION + ")");
    }

    public UnsupportedFormatException(int version, String message) {
      super(message);
      this.version = version;
    }

    public int version() {
      return version;
    }
  }

  /** Thrown when a document is not valid JSON or is missing or mistyping a field. */
  public static final class MalformedStoryException extends RuntimeException {
    MalformedStoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ---------------------------------------------------------------- writing

  public static String toJson(Story story) {
    return new String(toBytes(story), StandardCharsets.UTF_8);
  }

  public static byte[] toBytes(Story story) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", FORMAT_VERSION);
      g.writeStringField("id", story.id());
      optional(g, "owner", story.owner());
      g.writeStringField("title", story.title());
      g.writeArrayFieldStart("paragraphs");
      for (String p : story.paragraphs()) {
        g.writeString(p);
      }
      g.writeEndArray();
      g.writeFieldName("request");
      writeRequest(g, story.request());
      g.writeStringField("model", story.model());
      g.writeStringField("templateVersion", story.templateVersion());
      g.writeObjectFieldStart("usage");
      g.writeNumberField("input", story.usage().inputTokens());
      g.writeNumberField("output", story.usage().outputTokens());
      g.writeEndObject();
      // A string keeps the decimal's exact digits and scale.
      g.writeStringField("costUsd", story.estimatedCostUsd().toString());
      writeQuality(g, story.quality());
      writeSafety(g, story.safety());
      g.writeObjectFieldStart("timings");
      g.writeNumberField("totalNanos", story.timings().total().toNanos());
      g.writeNumberField("modelNanos", story.timings().model().toNanos());
      g.writeEndObject();
      g.writeStringField("cacheTier", story.cacheTier().name());
      g.writeNumberField("attempts", story.attempts());
      g.writeStringField("createdAt", story.createdAt().toString());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode a story", e);
    }
    return out.toByteArray();
  }

  private static void writeRequest(JsonGenerator g, StoryRequest r) throws IOException {
    g.writeStartObject();
    g.writeStringField("theme", r.theme());
    g.writeStringField("ageGroup", r.ageGroup().name());
    g.writeArrayFieldStart("characters");
    for (StoryCharacter c : r.characters()) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeStringField("description", c.description());
      g.writeEndObject();
    }
    g.writeEndArray();
    optional(g, "setting", r.setting());
    optional(g, "moral", r.moral());
    optional(g, "idea", r.idea());
    g.writeStringField("length", r.length().name());
    g.writeStringField("language", r.language());
    g.writeBooleanField("fresh", r.fresh());
    optional(g, "owner", r.owner());
    optional(g, "idempotencyKey", r.idempotencyKey());
    g.writeEndObject();
  }

  private static void writeQuality(JsonGenerator g, QualityReport q) throws IOException {
    g.writeObjectFieldStart("quality");
    g.writeNumberField("wordCount", q.wordCount());
    g.writeNumberField("bandMin", q.wordBand().min());
    g.writeNumberField("bandMax", q.wordBand().max());
    writeDouble(g, "readingGrade", q.readingGrade());
    g.writeStringField("ageGroup", q.ageGroup().name());
    g.writeBooleanField("hasTitle", q.hasTitle());
    g.writeEndObject();
  }

  private static void writeSafety(JsonGenerator g, SafetyVerdict v) throws IOException {
    g.writeObjectFieldStart("safety");
    g.writeStringField("policyVersion", v.policyVersion());
    g.writeArrayFieldStart("findings");
    for (SafetyFinding f : v.findings()) {
      g.writeStartObject();
      g.writeStringField("category", f.category().name());
      g.writeStringField("severity", f.severity().name());
      writeDouble(g, "score", f.score());
      g.writeNumberField("start", f.start());
      g.writeNumberField("end", f.end());
      g.writeStringField("source", f.source());
      g.writeBooleanField("blocking", f.blocking());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(field, value.get());
    }
  }

  /** Finite doubles as JSON numbers (shortest form that reads back exactly); NaN and infinities as strings. */
  private static void writeDouble(JsonGenerator g, String field, double value) throws IOException {
    if (Double.isFinite(value)) {
      g.writeNumberField(field, value);
    } else {
      g.writeStringField(field, Double.toString(value));
    }
  }

  // ---------------------------------------------------------------- reading

  public static Story fromJson(String json) {
    return fromBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  public static Story fromBytes(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new MalformedStoryException("stored story is not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedStoryException("stored story is not a JSON object", null);
    }
    JsonNode version = root.get("v");
    if (version == null || !version.canConvertToInt()) {
      throw new MalformedStoryException("stored story has no format version", null);
    }
    if (version.intValue() != FORMAT_VERSION) {
      throw new UnsupportedFormatException(version.intValue());
    }
    try {
      return readStory(root);
    } catch (RuntimeException e) {
      throw new MalformedStoryException("stored story is malformed: " + e.getMessage(), e);
    }
  }

  private static Story readStory(JsonNode n) {
    List<String> paragraphs = new ArrayList<>();
    for (JsonNode p : array(n, "paragraphs")) {
      paragraphs.add(textValue(p, "paragraphs[]"));
    }
    JsonNode usage = object(n, "usage");
    JsonNode timings = object(n, "timings");
    return new Story(
        text(n, "id"),
        optionalText(n, "owner"),
        text(n, "title"),
        paragraphs,
        readRequest(object(n, "request")),
        text(n, "model"),
        text(n, "templateVersion"),
        new TokenUsage(longValue(usage, "input"), longValue(usage, "output")),
        new BigDecimal(text(n, "costUsd")),
        readQuality(object(n, "quality")),
        readSafety(object(n, "safety")),
        new Timings(Duration.ofNanos(longValue(timings, "totalNanos")),
            Duration.ofNanos(longValue(timings, "modelNanos"))),
        CacheTier.valueOf(text(n, "cacheTier")),
        intValue(n, "attempts"),
        Instant.parse(text(n, "createdAt")));
  }

  private static StoryRequest readRequest(JsonNode n) {
    List<StoryCharacter> characters = new ArrayList<>();
    for (JsonNode c : array(n, "characters")) {
      characters.add(new StoryCharacter(text(c, "name"), text(c, "description")));
    }
    // The canonical constructor, not the builder: the builder turns blank values into empty ones.
    return new StoryRequest(
        text(n, "theme"),
        AgeGroup.valueOf(text(n, "ageGroup")),
        characters,
        optionalText(n, "setting"),
        optionalText(n, "moral"),
        optionalText(n, "idea"),
        StoryLength.valueOf(text(n, "length")),
        text(n, "language"),
        bool(n, "fresh"),
        optionalText(n, "owner"),
        optionalText(n, "idempotencyKey"));
  }

  private static QualityReport readQuality(JsonNode n) {
    return new QualityReport(intValue(n, "wordCount"), new WordBand(intValue(n, "bandMin"), intValue(n, "bandMax")),
        doubleValue(n, "readingGrade"), AgeGroup.valueOf(text(n, "ageGroup")), bool(n, "hasTitle"));
  }

  private static SafetyVerdict readSafety(JsonNode n) {
    List<SafetyFinding> findings = new ArrayList<>();
    for (JsonNode f : array(n, "findings")) {
      findings.add(new SafetyFinding(SafetyCategory.valueOf(text(f, "category")),
          Severity.valueOf(text(f, "severity")), doubleValue(f, "score"), intValue(f, "start"), intValue(f, "end"),
          text(f, "source"), bool(f, "blocking")));
    }
    return new SafetyVerdict(findings, text(n, "policyVersion"));
  }

  private static JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String name) {
    return textValue(field(n, name), name);
  }

  private static String textValue(JsonNode v, String name) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + name + "' is not a string");
    }
    return v.textValue();
  }

  private static Optional<String> optionalText(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(textValue(v, name));
  }

  private static JsonNode object(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isObject()) {
      throw new IllegalArgumentException("field '" + name + "' is not an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isArray()) {
      throw new IllegalArgumentException("field '" + name + "' is not an array");
    }
    return v;
  }

  private static long longValue(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + name + "' is not a whole number");
    }
    return v.longValue();
  }

  private static int intValue(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("field '" + name + "' is not a 32-bit whole number");
    }
    return v.intValue();
  }

  private static double doubleValue(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      return Double.parseDouble(v.textValue());
    }
    throw new IllegalArgumentException("field '" + name + "' is not a number");
  }

  private static boolean bool(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("field '" + name + "' is not a boolean");
    }
    return v.booleanValue();
  }
}
