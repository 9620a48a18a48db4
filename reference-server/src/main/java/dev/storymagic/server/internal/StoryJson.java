package dev.storymagic.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storymagic.AgeGroup;
import dev.storymagic.FieldError;
import dev.storymagic.SafetyCategory;
import dev.storymagic.Story;
import dev.storymagic.StoryAsset;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.internal.wire.Fragment;
import dev.storymagic.internal.wire.StoryDocument;
import dev.storymagic.internal.wire.StoryView;
import dev.storymagic.internal.wire.Wire;
import dev.storymagic.spi.BlockedRequest;
import dev.storymagic.spi.OwnerExport;
import dev.storymagic.spi.StoryPage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The wire format: parses story requests strictly and renders stories, pages and errors. */
public final class StoryJson {
  /**
   * The fields a story request may carry: the request's fields as the wire model stores them, less
   * the two a client never sends in the body (the owner is the caller's identity, the idempotency
   * key comes from the {@code Idempotency-Key} header), and the asset options.
   */
  static final Set<String> REQUEST_FIELDS =
      Stream.concat(
              fieldsOf(StoryDocument.RequestDocument.class)
                  .filter(field -> !field.equals("owner") && !field.equals("idempotencyKey")),
              fieldsOf(AssetOptions.class))
          .collect(Collectors.toUnmodifiableSet());

  private static final String AGE_GROUPS =
      Arrays.stream(AgeGroup.values()).map(AgeGroup::label).collect(Collectors.joining(", "));
  private static final String LENGTHS =
      Arrays.stream(StoryLength.values())
          .map(l -> StoryView.label(l))
          .collect(Collectors.joining(", "));

  private final ObjectMapper mapper;

  public StoryJson() {
    // The story wire model's mapper, narrowed for reading request bodies.
    this.mapper = Wire.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // Bounded parsing: a request is small; refuse pathological nesting and giant strings early.
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(16)
                .maxStringLength(64 * 1024)
                .maxNumberLength(32)
                .build());
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** The JSON field names of a record the wire model reads and writes with its own names. */
  private static Stream<String> fieldsOf(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName);
  }

  /**
   * Reads a story request body: the request and its asset options, with the errors of {@link
   * #parseRequest(JsonNode)} and then {@link AssetOptions#parse}. A plainly valid body is read in
   * one pass ({@link RequestBody#readPlain}); the cached {@code POST} spent a tenth of what it
   * allocated on the tree. Any other body is read as a tree, whose reading lists every problem.
   *
   * @throws ApiException 400 {@code malformed_json} or {@code invalid_request}
   */
  public RequestBody readRequest(byte[] body) {
    RequestBody plain = RequestBody.readPlain(mapper.getFactory(), body);
    if (plain != null) {
      return plain;
    }
    JsonNode tree = readObject(body);
    return new RequestBody(parseRequest(tree), AssetOptions.parse(tree));
  }

  /**
   * A story request body as a JSON object, read once for {@link #parseRequest(JsonNode)} and the
   * asset options.
   *
   * @throws ApiException 400 {@code malformed_json}
   */
  public JsonNode requestTree(byte[] body) {
    return readObject(body);
  }

  /**
   * Parses a story request read by {@link #requestTree}, listing every field that is missing, of
   * the wrong type or unknown.
   *
   * @throws ApiException 400 {@code invalid_request}
   */
  public StoryRequest parseRequest(JsonNode root) {
    List<FieldError> errors = new ArrayList<>();
    unknownFields(root, errors);
    StoryRequest.Builder b = StoryRequest.builder();
    String theme = string(root, "theme", errors);
    if (theme == null && errors.stream().noneMatch(e -> e.field().equals("theme"))) {
      errors.add(new FieldError("theme", "is required"));
    }
    String age = string(root, "ageGroup", errors);
    if (age != null) {
      AgeGroup.parse(age)
          .ifPresentOrElse(
              b::ageGroup,
              () -> errors.add(new FieldError("ageGroup", "must be one of " + AGE_GROUPS)));
    }
    String length = string(root, "length", errors);
    if (length != null) {
      StoryLength.parse(length)
          .ifPresentOrElse(
              b::length, () -> errors.add(new FieldError("length", "must be one of " + LENGTHS)));
    }
    characters(root.get("characters"), b, errors);
    String setting = string(root, "setting", errors);
    String moral = string(root, "moral", errors);
    String idea = string(root, "idea", errors);
    String language = string(root, "language", errors);
    fresh(root.get("fresh"), b, errors);
    if (!errors.isEmpty()) {
      throw new ApiException(Errors.invalid(errors));
    }
    b.theme(theme).setting(setting).moral(moral).idea(idea);
    if (language != null) {
      b.language(language);
    }
    return b.build();
  }

  /** The body as a JSON object, or a 400 {@code malformed_json} saying what it is instead. */
  private JsonNode readObject(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("malformed_json", "the body could not be read");
    }
    if (root == null || root.isMissingNode()) {
      throw ApiException.badRequest(
          "malformed_json", "the body is empty; send a JSON object with at least a theme");
    }
    if (!root.isObject()) {
      throw ApiException.badRequest(
          "malformed_json", "the body must be a JSON object, got " + kind(root));
    }
    return root;
  }

  private static void unknownFields(JsonNode root, List<FieldError> errors) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!REQUEST_FIELDS.contains(field)) {
        errors.add(
            new FieldError(
                field.length() > 40 ? field.substring(0, 40) + "..." : field,
                "unknown field; allowed: "
                    + String.join(", ", REQUEST_FIELDS.stream().sorted().toList())));
      }
    }
  }

  /** The {@code characters} array: each an object {name, description}, the name required. */
  private static void characters(
      JsonNode characters, StoryRequest.Builder b, List<FieldError> errors) {
    if (characters == null || characters.isNull()) {
      return;
    }
    if (!characters.isArray()) {
      errors.add(
          new FieldError(
              "characters", "must be an array of {name, description}, got " + kind(characters)));
      return;
    }
    for (int i = 0; i < characters.size(); i++) {
      character(characters.get(i), "characters[" + i + "]", b, errors);
    }
  }

  private static void character(
      JsonNode c, String path, StoryRequest.Builder b, List<FieldError> errors) {
    if (!c.isObject()) {
      errors.add(new FieldError(path, "must be an object {name, description}, got " + kind(c)));
      return;
    }
    for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("name") && !f.equals("description")) {
        errors.add(
            new FieldError(
                path + "." + (f.length() > 40 ? f.substring(0, 40) : f),
                "unknown field; allowed: description, name"));
      }
    }
    String name = string(c, "name", errors, path + ".name");
    String description = string(c, "description", errors, path + ".description");
    if (name == null && !c.has("name")) {
      errors.add(new FieldError(path + ".name", "is required"));
    } else if (name != null) {
      b.character(name, description == null ? "" : description);
    }
  }

  private static void fresh(JsonNode fresh, StoryRequest.Builder b, List<FieldError> errors) {
    if (fresh == null || fresh.isNull()) {
      return;
    }
    if (fresh.isBoolean()) {
      b.fresh(fresh.booleanValue());
    } else {
      errors.add(new FieldError("fresh", "must be true or false, got " + kind(fresh)));
    }
  }

  private static String string(JsonNode node, String field, List<FieldError> errors) {
    return string(node, field, errors, field);
  }

  private static String string(JsonNode node, String field, List<FieldError> errors, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      errors.add(new FieldError(path, "must be a string, got " + kind(value)));
      return null;
    }
    return value.textValue();
  }

  private static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    } else if (node.isNumber()) {
      return "a number";
    } else if (node.isBoolean()) {
      return "a boolean";
    } else if (node.isArray()) {
      return "an array";
    } else if (node.isObject()) {
      return "an object";
    }
    return "null";
  }

  // ------------------------------------------------------------------ rendering

  /** The story as the API shows it ({@link StoryView}), as a tree to add to. */
  public ObjectNode story(Story s) {
    return mapper.valueToTree(StoryView.of(s));
  }

  /**
   * The story as JSON bytes, its title, paragraphs and text written from prewritten bytes (the hot
   * path of the story endpoints); the same bytes as {@link #story} written out.
   */
  public byte[] storyBytes(Story s) {
    return storyBytes(s, null);
  }

  /**
   * The story with its {@code assets} list (a read of one story), written as {@link
   * #storyBytes(Story)} is: no tree, the text from its serialised fragments.
   */
  public byte[] storyBytes(Story s, List<StoryAsset> assets) {
    if (assets == null) {
      return write(s);
    }
    // A read of one story adds its assets. The view is one JSON object, so its closing brace gives
    // way to the assets field: the story is still written from its prewritten fragments, not a
    // tree. Most stories have none: the answer kept for reads is the one with an empty list.
    byte[] emptyListAnswer = read(s);
    if (assets.isEmpty()) {
      return emptyListAnswer;
    }
    int storyEnd = emptyListAnswer.length - NO_ASSETS.length;
    ByteArrayBuilder out = new ByteArrayBuilder(null, storyEnd + 16 + 256 * assets.size());
    out.write(emptyListAnswer, 0, storyEnd);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeRaw(",\"assets\":");
      g.writeStartArray();
      for (StoryAsset a : assets) {
        writeAsset(g, a);
      }
      g.writeEndArray();
      g.writeRaw('}');
    } catch (IOException e) {
      throw new IllegalStateException("a story could not be written", e);
    }
    return out.toByteArray();
  }

  private static final byte[] NO_ASSETS = ",\"assets\":[]}".getBytes(StandardCharsets.UTF_8);

  private byte[] write(Story s) {
    Body body = body(s);
    SerializedString shared = shared(s, body);
    String id = s.id();
    if (!isPlain(id)) {
      return writeEscaping(s, body, shared);
    }
    String createdAt = s.createdAt().toString();
    // StoryView's fields in its order: the ones each delivery has of its own (the id, time and
    // timings, plain ASCII) copied in here, the rest from bytes Jackson wrote for an earlier
    // delivery of the same story, into an array of the answer's exact size: no generator, no
    // buffer to copy out of.
    byte[] title = body.titleJson().asUnquotedUTF8();
    byte[] paragraphs = body.paragraphsJson().asUnquotedUTF8();
    byte[] text = body.textJson().asUnquotedUTF8();
    byte[] sharedBytes = shared.asUnquotedUTF8();
    String totalMs = Long.toString(s.timings().total().toMillis());
    String modelMs = Long.toString(s.timings().model().toMillis());
    byte[] out =
        new byte
            [OPEN_ID.length
                + id.length()
                + TITLE.length
                + title.length
                + PARAGRAPHS.length
                + paragraphs.length
                + TEXT.length
                + text.length
                + sharedBytes.length
                + CREATED_AT.length
                + createdAt.length()
                + TOTAL_MS.length
                + totalMs.length()
                + MODEL_MS.length
                + modelMs.length()
                + CLOSE.length];
    int at = put(out, 0, OPEN_ID);
    at = putAscii(out, at, id);
    at = put(out, at, TITLE);
    at = put(out, at, title);
    at = put(out, at, PARAGRAPHS);
    at = put(out, at, paragraphs);
    at = put(out, at, TEXT);
    at = put(out, at, text);
    at = put(out, at, sharedBytes); // from ,"theme": to the attempts
    at = put(out, at, CREATED_AT);
    at = putAscii(out, at, createdAt);
    at = put(out, at, TOTAL_MS);
    at = putAscii(out, at, totalMs);
    at = put(out, at, MODEL_MS);
    at = putAscii(out, at, modelMs);
    put(out, at, CLOSE);
    return out;
  }

  private static final byte[] OPEN_ID = ascii("{\"id\":\"");
  private static final byte[] TITLE = ascii("\",\"title\":");
  private static final byte[] PARAGRAPHS = ascii(",\"paragraphs\":");
  private static final byte[] TEXT = ascii(",\"text\":");
  private static final byte[] CREATED_AT = ascii(",\"createdAt\":\"");
  private static final byte[] TOTAL_MS = ascii("\",\"timings\":{\"totalMs\":");
  private static final byte[] MODEL_MS = ascii(",\"modelMs\":");
  private static final byte[] CLOSE = ascii("}}");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int put(byte[] out, int at, byte[] part) {
    System.arraycopy(part, 0, out, at, part.length);
    return at + part.length;
  }

  /**
   * Copies {@code s}, known to be ASCII needing no escape, as its bytes. {@code
   * String.getBytes(int, int, byte[], int)} keeps each char's low byte, exact for ASCII, and copies
   * a Latin-1 string's bytes in one array copy, where a loop over its chars took a bounds check and
   * a coder check per char (1 % of a cached {@code POST}'s CPU for the id, the time and the
   * timings).
   */
  @SuppressWarnings("deprecation")
  private static int putAscii(byte[] out, int at, String s) {
    s.getBytes(0, s.length(), out, at);
    return at + s.length();
  }

  /**
   * True if {@code id} is written in JSON as it is: letters, digits and {@code -_.:} (the ids this
   * server makes are UUIDs); any other id is written by Jackson, escaped.
   */
  static boolean isPlain(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** {@link #write} through Jackson's generator, for an id that may need escaping. */
  private byte[] writeEscaping(Story s, Body body, SerializedString shared) {
    int size =
        body.titleJson().asUnquotedUTF8().length
            + body.paragraphsJson().asUnquotedUTF8().length
            + body.textJson().asUnquotedUTF8().length
            + shared.asUnquotedUTF8().length
            + DELIVERY_FIELDS_ALLOWANCE;
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", s.id());
      g.writeFieldName("title");
      g.writeRawValue(body.titleJson());
      g.writeFieldName("paragraphs");
      g.writeRawValue(body.paragraphsJson());
      g.writeFieldName("text");
      g.writeRawValue(body.textJson());
      g.writeRaw(shared); // from ,"theme": to the attempts, so the generator adds the next comma
      g.writeStringField("createdAt", s.createdAt().toString());
      g.writeObjectFieldStart("timings");
      g.writeNumberField("totalMs", s.timings().total().toMillis());
      g.writeNumberField("modelMs", s.timings().model().toMillis());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("a story could not be written", e);
    }
    return out.toByteArray();
  }

  /**
   * The part of a story's JSON that every delivery of it shares, from {@code ,"theme":} to the
   * attempts: the request's public fields, the model, usage, quality and safety. A cache hit is a
   * new story with its own id, time and timings but the same request fields (the cache key is made
   * of them) and the same generation, so the bytes Jackson wrote for one delivery serve the next
   * while the view of those fields is equal; they go with the story body they belong to.
   */
  private SerializedString shared(Story s, Body body) {
    StoryView key = StoryView.sharedPartOf(s);
    SharedFields last = body.shared().get();
    if (last != null && last.view().equals(key)) {
      return last.json();
    }
    String json;
    try {
      json =
          mapper.writeValueAsString(
              StoryView.of(
                  s,
                  Fragment.prewritten(s.title(), body.titleJson()),
                  Fragment.prewritten(s.paragraphs(), body.paragraphsJson()),
                  Fragment.prewritten(body.text(), body.textJson())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a story could not be written", e);
    }
    // Quotes inside the title, paragraphs and text are escaped, so these markers occur only as
    // the field names they are.
    int from = json.indexOf(TEXT_FIELD) + TEXT_FIELD.length() + body.textJson().getValue().length();
    int to = json.lastIndexOf(CREATED_AT_FIELD);
    SerializedString shared = new SerializedString(json.substring(from, to));
    shared.asUnquotedUTF8(); // encoded once, here
    body.shared().set(new SharedFields(key, shared));
    return shared;
  }

  private static final String TEXT_FIELD = ",\"text\":";
  private static final String CREATED_AT_FIELD = ",\"createdAt\":";

  /** A story's shared fields as the view has them, and their JSON. */
  private record SharedFields(StoryView view, SerializedString json) {}

  /** Bytes for the fields a delivery has of its own: its id, time and timings. */
  private static final int DELIVERY_FIELDS_ALLOWANCE = 160;

  /**
   * A stored story's JSON as a read answers it when it has no assets ({@code "assets":[]} last): a
   * story read again is written from the bytes of its last read while it is the same story (the
   * in-memory store hands out the same record, a database read an equal one), so a story read often
   * is not serialised per read. By story id, after the store found it for its owner; POST answers
   * are not kept (each is a new story, read again seldom).
   */
  private byte[] read(Story s) {
    Written last = reads.getIfPresent(s.id());
    if (last != null && last.story().equals(s)) { // the same record: each component by identity
      return last.json();
    }
    byte[] story = write(s);
    byte[] json = Arrays.copyOf(story, story.length - 1 + NO_ASSETS.length);
    System.arraycopy(NO_ASSETS, 0, json, story.length - 1, NO_ASSETS.length);
    reads.put(s.id(), new Written(s, json));
    return json;
  }

  // Never compared or hashed: the bytes are only written out, never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Written(Story story, byte[] json) {}

  /** Bytes of story JSON kept for reads: about 8,000 stories of 4 KB. */
  static final long READ_CACHE_BYTES = 32L << 20;

  private final Cache<String, Written> reads =
      Caffeine.newBuilder()
          .maximumWeight(READ_CACHE_BYTES)
          .weigher((String id, Written w) -> w.json().length)
          .build();

  /** One stored picture or recording, as the asset endpoints list it. */
  private static void writeAsset(JsonGenerator g, StoryAsset a) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", a.kind().label());
    g.writeNumberField("index", a.index());
    g.writeStringField("url", a.path());
    g.writeStringField("contentType", a.type().contentType());
    g.writeNumberField("size", a.size());
    g.writeStringField("alt", a.altText());
    g.writeStringField("model", a.model());
    g.writeStringField("storyId", a.storyId());
    g.writeEndObject();
  }

  /**
   * A story's title, paragraphs and text, serialised once: nearly all of a story answer's bytes.
   * Every copy of one generation (each cache hit is a new story record for its caller, with its own
   * id and timings) shares the same immutable paragraphs list, and a story read again from the
   * in-memory store is the same record, so the fragments are kept by the identity of that list
   * (weakly: they go with the last story that holds it) and written as raw bytes.
   */
  private record Body(
      String title,
      String text,
      SerializedString titleJson,
      SerializedString paragraphsJson,
      SerializedString textJson,
      AtomicReference<SharedFields> shared) {}

  private final Cache<List<String>, Body> bodies =
      Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  /**
   * The bodies answered lately, in front of {@link #bodies}: one slot per identity hash of the
   * paragraphs list, so a story answered over and over (a popular cached story) is found with one
   * array read. The cache's own read records each access for its eviction policy, and many threads
   * reading one entry made that a measurable share of a cached answer. A slot holds its list
   * strongly, apart from the cache whose values must not reach their weak keys; {@value
   * #RECENT_BODIES} slots keep at most that many bodies alive.
   */
  private final AtomicReferenceArray<RecentBody> recentBodies =
      new AtomicReferenceArray<>(RECENT_BODIES);

  static final int RECENT_BODIES = 64;

  private record RecentBody(List<String> paragraphs, Body body) {}

  private Body body(Story s) {
    List<String> paragraphs = s.paragraphs();
    int slot = System.identityHashCode(paragraphs) & (RECENT_BODIES - 1);
    RecentBody recent = recentBodies.get(slot);
    if (recent != null
        && recent.paragraphs() == paragraphs
        && recent.body().title().equals(s.title())) {
      return recent.body();
    }
    Body body = bodies.getIfPresent(paragraphs);
    if (body == null || !body.title().equals(s.title())) {
      body = serialiseBody(s);
      bodies.put(paragraphs, body);
    }
    recentBodies.set(slot, new RecentBody(paragraphs, body));
    return body;
  }

  private Body serialiseBody(Story s) {
    String text = s.text(); // joined once per story body, not per answer
    try {
      Body body =
          new Body(
              s.title(),
              text,
              raw(mapper.writeValueAsString(s.title())),
              raw(mapper.writeValueAsString(s.paragraphs())),
              raw(mapper.writeValueAsString(text)),
              new AtomicReference<>());
      // Encodes the UTF-8 bytes once, here.
      body.titleJson().asUnquotedUTF8();
      body.paragraphsJson().asUnquotedUTF8();
      body.textJson().asUnquotedUTF8();
      return body;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a story could not be written", e);
    }
  }

  private static SerializedString raw(String json) {
    return new SerializedString(json);
  }

  /** A list entry: enough to show a library of stories without their text. */
  public ObjectNode summary(Story s) {
    ObjectNode n = mapper.createObjectNode();
    n.put("id", s.id());
    n.put("title", s.title());
    n.put("theme", s.request().theme());
    n.put("ageGroup", s.request().ageGroup().label());
    n.put("length", StoryView.label(s.request().length()));
    n.put("wordCount", s.quality().wordCount());
    n.put("createdAt", s.createdAt().toString());
    return n;
  }

  public ObjectNode page(StoryPage page) {
    ObjectNode n = mapper.createObjectNode();
    ArrayNode stories = n.putArray("stories");
    page.stories().forEach(s -> stories.add(summary(s)));
    if (page.nextCursor().isPresent()) {
      n.put("nextCursor", page.nextCursor().get());
    } else {
      n.putNull("nextCursor");
    }
    return n;
  }

  public ObjectNode themes(List<Theme> themes) {
    ObjectNode n = mapper.createObjectNode();
    ArrayNode list = n.putArray("themes");
    themes.forEach(
        t ->
            list.addObject()
                .put("id", t.id())
                .put("name", t.displayName())
                .put("description", t.description()));
    ArrayNode ages = n.putArray("ageGroups");
    Arrays.stream(AgeGroup.values()).forEach(a -> ages.add(a.label()));
    ArrayNode lengths = n.putArray("lengths");
    Arrays.stream(StoryLength.values()).forEach(l -> lengths.add(StoryView.label(l)));
    return n;
  }

  public ObjectNode export(OwnerExport export) {
    ObjectNode n = mapper.createObjectNode();
    n.put("owner", export.owner());
    n.put("exportedAt", export.exportedAt().toString());
    ArrayNode stories = n.putArray("stories");
    export.stories().forEach(s -> stories.add(story(s)));
    ArrayNode blocked = n.putArray("blockedRequests");
    for (BlockedRequest b : export.blockedRequests()) {
      ObjectNode row = blocked.addObject();
      row.put("stage", b.stage().label());
      ArrayNode categories = row.putArray("categories");
      b.categories().stream().map(SafetyCategory::label).sorted().forEach(categories::add);
      row.put("ageGroup", b.ageGroup().label());
      row.put("theme", b.theme());
      row.put("policyVersion", b.policyVersion());
      row.put("at", b.at().toString());
      b.text().ifPresent(t -> row.put("text", t));
    }
    return n;
  }

  public ObjectNode error(ApiError error) {
    ObjectNode n = mapper.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("code", error.code());
    e.put("message", error.message());
    if (error.details() == null) {
      e.putNull("details");
    } else {
      e.set("details", mapper.valueToTree(error.details()));
    }
    return n;
  }

  public byte[] bytes(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  public String string(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** Renders a map of simple values (health and similar documents). */
  public byte[] bytes(Map<String, ?> value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a document could not be written", e);
    }
  }
}
