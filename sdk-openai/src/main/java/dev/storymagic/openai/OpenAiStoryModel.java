package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storymagic.ComponentHealth;
import dev.storymagic.StoryMagicException;
import dev.storymagic.TokenUsage;
import dev.storymagic.openai.internal.ChatProtocol;
import dev.storymagic.openai.internal.ChatSpans;
import dev.storymagic.openai.internal.ChatStream;
import dev.storymagic.openai.internal.Endpoint;
import dev.storymagic.openai.internal.HttpTransport;
import dev.storymagic.openai.internal.ProviderErrors;
import dev.storymagic.openai.internal.TransportLease;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.StoryModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StoryModel} on the Chat Completions API, for any server that speaks it: OpenAI, Azure
 * OpenAI (its {@code /openai/v1} base URL), and local servers such as Ollama, vLLM or llama.cpp's
 * server.
 *
 * <pre>{@code
 * OpenAiStoryModel model = OpenAiStoryModel.builder()   // key from OPENAI_API_KEY
 *     .model("gpt-4o-mini")
 *     .build();
 * StoryMagic magic = StoryMagic.builder().model(model).build();
 * }</pre>
 *
 * <p>Non-streamed calls ask for structured output (a strict JSON-schema {@code response_format}) so
 * the title and the paragraphs come back as fields; {@link Builder#structuredOutput(boolean)
 * structuredOutput(false)} falls back to the templates' plain-text layout for servers without it.
 * Streamed calls ({@code stream: true} with usage in the last chunk) always use the plain-text
 * layout, parsed as it arrives: the first line is the title, every later piece is passed to the
 * listener at once.
 *
 * <p><b>Errors.</b> This model never retries; the pipeline does. Transient failures (HTTP 408, 409,
 * 429, 5xx, a failed or reset connection, a read or call timeout) throw {@link
 * dev.storymagic.StoryMagicException.ModelUnavailable} carrying the provider's retry-after hint
 * ({@code Retry-After-Ms}, {@code Retry-After} in seconds or as a date, {@code
 * x-ratelimit-reset-*}); permanent ones throw {@link StoryMagicException.ModelFailure}: 401/403
 * {@code AUTHENTICATION}, 400 {@code BAD_REQUEST} with the provider's message, 404 {@code
 * UNKNOWN_MODEL}, {@code finish_reason} {@code length} {@code TRUNCATED}, {@code content_filter} or
 * a refusal {@code CONTENT_FILTERED}, and an empty, malformed or unfinished answer (no choices, bad
 * JSON, a stream without {@code [DONE]}) {@code INVALID_RESPONSE}. A consumer that cancels a stream
 * gets {@link StoryMagicException.Cancelled}, and the HTTP call is cancelled.
 *
 * <p><b>Resources.</b> Each model owns one OkHttp connection pool and dispatcher, with at most
 * {@link OpenAiConnection#maxConcurrentRequests() maxConcurrentRequests} requests in flight.
 * Variants made with {@link #newBuilder()} and moderation filters made with {@link
 * OpenAiModerationFilter.Builder#from(OpenAiStoryModel)} share them. Thread-safe; {@link #close()}
 * releases the pool when its last user closes.
 */
public final class OpenAiStoryModel implements StoryModel, AutoCloseable {
  /** The model used unless {@link Builder#model(String)} names another. */
  public static final String DEFAULT_MODEL = "gpt-4o-mini";

  /** Default cap on output tokens per story: 4,096. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  /**
   * Default output tokens allowed per word of the requested band's maximum: 2.0, ample for English
   * (about 1.3) and most languages written in Latin script.
   */
  public static final double DEFAULT_OUTPUT_TOKENS_PER_WORD = 2.0;

  /** Tokens added to every limit for the title, paragraph breaks or JSON punctuation. */
  static final int OUTPUT_TOKEN_MARGIN = 100;

  /**
   * Default limit for a whole call, streams included: 55 seconds, under the pipeline's default
   * attempt time limit of 60 seconds so the HTTP call ends before the pipeline gives up on it.
   */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(55);

  private static final Logger log = LoggerFactory.getLogger(OpenAiStoryModel.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
  private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(1500);
  private static final Duration HEALTH_TTL_UP = Duration.ofSeconds(30);
  private static final Duration HEALTH_TTL_DOWN = Duration.ofSeconds(10);

  private final Settings settings;
  private final TransportLease lease;
  private final OkHttpClient client;
  private final OkHttpClient healthClient;
  private final ChatProtocol protocol = new ChatProtocol(JSON);
  private final ProviderErrors errors;
  private final ChatSpans spans;

  /** Kept for variants, which trace where their parent does. */
  private final io.opentelemetry.api.OpenTelemetry openTelemetry;

  private final Object healthLock = new Object();
  private volatile CachedHealth cachedHealth;

  private record CachedHealth(ComponentHealth health, long expiresAtNanos) {}

  /** Everything a builder collects; copied into variants. */
  private record Settings(
      OpenAiConnection connection,
      Endpoint endpoint,
      String model,
      OptionalDouble temperature,
      int maxOutputTokens,
      TokenLimitField tokenLimitField,
      double outputTokensPerWord,
      Duration callTimeout,
      Optional<String> user,
      boolean structuredOutput,
      PriceTable priceTable,
      Optional<EventListener> eventListener,
      Clock clock) {}

  private OpenAiStoryModel(
      Settings settings,
      HttpTransport transport,
      Optional<io.opentelemetry.api.OpenTelemetry> otel) {
    this.settings = settings;
    this.openTelemetry = otel.orElse(null);
    this.spans =
        new ChatSpans(
            otel,
            settings.model(),
            settings.endpoint().baseUrl().host(),
            settings.endpoint().baseUrl().port());
    this.lease = new TransportLease(transport);
    OkHttpClient.Builder b =
        transport.newClientBuilder(settings.connection(), settings.callTimeout());
    settings.eventListener().ifPresent(b::eventListener);
    this.client = b.build();
    this.healthClient =
        client
            .newBuilder()
            .connectTimeout(HEALTH_TIMEOUT)
            .readTimeout(HEALTH_TIMEOUT)
            .callTimeout(HEALTH_TIMEOUT)
            .build();
    this.errors = new ProviderErrors(JSON, settings.clock(), id());
  }

  public static Builder builder() {
    return new Builder(null);
  }

  /**
   * A builder for a variant of this model (another model name, temperature, timeout or key) that
   * shares this model's connection pool, dispatcher and concurrency limit. Options start from this
   * model's values; a connection given to the variant must ask for the same pool.
   */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** {@code "openai:"} and the model name, such as {@code "openai:gpt-4o-mini"}. */
  @Override
  public String id() {
    return "openai:" + settings.model();
  }

  /** The model name sent in requests. */
  public String model() {
    return settings.model();
  }

  /** The base URL requests go to. */
  public String baseUrl() {
    return settings.endpoint().baseUrl().toString();
  }

  /** The connection this model was built with. */
  public OpenAiConnection connection() {
    return settings.connection();
  }

  /**
   * Writes one story with one HTTP call.
   *
   * @throws dev.storymagic.StoryMagicException.ModelUnavailable for a transient failure, with the
   *     provider's retry-after hint
   * @throws StoryMagicException.ModelFailure for a permanent failure (credentials, bad request,
   *     unknown model, content filter, truncated, invalid response)
   * @throws StoryMagicException.Cancelled if the calling thread was interrupted; the call is
   *     cancelled
   */
  @Override
  public ModelResponse generate(ModelRequest request) {
    return spans.call(false, outputTokenLimit(request), () -> complete(request));
  }

  private ModelResponse complete(ModelRequest request) {
    byte[] body =
        protocol.requestBody(
            request.prompt(), options(request), false, settings.structuredOutput());
    Request http = post(body).build();
    try (HttpTransport.Exchange exchange = send(http)) {
      Response response = exchange.response();
      if (!response.isSuccessful()) {
        throw errors.fromStatus(response);
      }
      ChatProtocol.Completion completion =
          protocol.completion(bufferedBody(response.body()), errors);
      ChatProtocol.checkFinish(completion.finishReason(), id());
      if (completion.refusal().isPresent()) {
        throw new StoryMagicException.ModelFailure(
            StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED,
            id()
                + " refused to write the story: "
                + ProviderErrors.sanitise(completion.refusal().get()),
            200,
            null);
      }
      // Servers that ignore response_format answer in prose: read whichever shape arrived.
      ChatProtocol.StoryFields fields = protocol.story(completion.content(), errors);
      if (fields.paragraphs().isEmpty()) {
        throw errors.invalid("an empty story", null);
      }
      return response(fields.title(), fields.paragraphs(), completion.usage(), completion.model());
    }
  }

  /**
   * Streams one story: the title goes to {@link ModelStreamListener#onTitle}, body text to {@link
   * ModelStreamListener#onDelta} as each chunk arrives. A server that streams JSON although prose
   * was asked for is read as JSON and the story delivered once complete: JSON never reaches the
   * listener. Polls {@link ModelStreamListener#isCancelled()} between chunks and cancels the HTTP
   * call when it turns true.
   *
   * @throws StoryMagicException.Cancelled if the listener cancelled or the thread was interrupted
   * @throws dev.storymagic.StoryMagicException.ModelUnavailable for a transient failure, including
   *     a connection lost mid-stream
   * @throws StoryMagicException.ModelFailure as for {@link #generate}, and for a stream that ends
   *     without {@code [DONE]}
   */
  @Override
  public ModelResponse stream(ModelRequest request, ModelStreamListener listener) {
    requireNonNull(listener, "listener");
    if (listener.isCancelled()) {
      throw new StoryMagicException.Cancelled(
          "the consumer went away before " + id() + " was called");
    }
    return spans.call(true, outputTokenLimit(request), () -> streamNow(request, listener));
  }

  private ModelResponse streamNow(ModelRequest request, ModelStreamListener listener) {
    byte[] body =
        protocol.requestBody(request.prompt(), options(request), true, settings.structuredOutput());
    Request http = post(body).header("Accept", "text/event-stream").build();
    try (HttpTransport.Exchange exchange = send(http)) {
      Response response = exchange.response();
      if (!response.isSuccessful()) {
        throw errors.fromStatus(response);
      }
      ChatStream.Result result =
          new ChatStream(JSON, errors, listener, exchange, id()).read(response);
      return response(result.title(), result.paragraphs(), result.usage(), result.model());
    }
  }

  /**
   * Whether the server answers {@code GET /models} with these credentials, within 1.5 seconds. The
   * answer is cached for 30 seconds (10 when down). Never throws.
   */
  @Override
  public ComponentHealth health() {
    CachedHealth cached = cachedHealth;
    if (cached != null && System.nanoTime() - cached.expiresAtNanos() < 0) {
      return cached.health();
    }
    synchronized (healthLock) {
      cached = cachedHealth;
      if (cached != null && System.nanoTime() - cached.expiresAtNanos() < 0) {
        return cached.health();
      }
      ComponentHealth health = checkHealth();
      Duration ttl = health.status() == ComponentHealth.Status.UP ? HEALTH_TTL_UP : HEALTH_TTL_DOWN;
      cachedHealth = new CachedHealth(health, System.nanoTime() + ttl.toNanos());
      return health;
    }
  }

  private ComponentHealth checkHealth() {
    if (lease.isClosed()) {
      return ComponentHealth.down(id() + " is closed");
    }
    Request http = settings.endpoint().request("models").get().build();
    try (HttpTransport.Exchange exchange =
        lease.transport().send(healthClient, http, Duration.ZERO)) {
      int status = exchange.response().code();
      if (exchange.response().isSuccessful()) {
        return ComponentHealth.up(id() + " reachable");
      }
      if (status == 401) {
        return ComponentHealth.down(id() + " rejected the credentials (HTTP 401)");
      }
      if (status == 403) {
        return ComponentHealth.down(
            id() + " refused access (HTTP 403): region, project or model permissions");
      }
      return ComponentHealth.down(id() + " answered HTTP " + status);
    } catch (dev.storymagic.StoryMagicException.ModelUnavailable busy) {
      return ComponentHealth.up(
          id() + " busy: " + lease.transport().maxConcurrentRequests() + " requests in flight");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ComponentHealth.down(id() + " health check interrupted");
    } catch (IOException | RuntimeException e) {
      return ComponentHealth.down(id() + " unreachable: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Releases this model's share of the connection pool and dispatcher; the last of a model, its
   * variants and the moderation filters built from it to close shuts them down. Idempotent.
   */
  @Override
  public void close() {
    lease.close();
  }

  @Override
  public String toString() {
    return "OpenAiStoryModel{" + id() + ", " + settings.endpoint() + "}";
  }

  // ------------------------------------------------------------------ shared with the moderation
  // filter

  Endpoint endpoint() {
    return settings.endpoint();
  }

  HttpTransport transport() {
    return lease.transport();
  }

  // ------------------------------------------------------------------ internals

  private ChatProtocol.Options options(ModelRequest request) {
    return new ChatProtocol.Options(
        settings.model(),
        settings.temperature(),
        outputTokenLimit(request),
        settings.tokenLimitField(),
        settings.user().or(() -> request.story().owner().map(OpenAiStoryModel::pseudonym)));
  }

  /**
   * The output cap for one story, sized from the requested band (its maximum words times {@link
   * Builder#outputTokensPerWord}, plus a margin) and never above {@link Builder#maxOutputTokens}: a
   * server that ignores the stop signal ends at about twice the story's length instead of its
   * context size.
   */
  int outputTokenLimit(ModelRequest request) {
    long sized =
        (long) Math.ceil(request.wordBand().max() * settings.outputTokensPerWord())
            + OUTPUT_TOKEN_MARGIN;
    return (int) Math.min(settings.maxOutputTokens(), sized);
  }

  /** The field that carries the output cap. */
  public TokenLimitField tokenLimitField() {
    return settings.tokenLimitField();
  }

  /** A stable pseudonym for an owner id, so abuse tracking never sees the id itself. */
  static String pseudonym(String owner) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
      return "sm-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private Request.Builder post(byte[] body) {
    return settings
        .endpoint()
        .request("chat/completions")
        .post(RequestBody.create(body, JSON_TYPE));
  }

  private HttpTransport.Exchange send(Request http) {
    if (lease.isClosed()) {
      throw new IllegalStateException(id() + " is closed");
    }
    long start = System.nanoTime();
    try {
      HttpTransport.Exchange exchange =
          lease.transport().send(client, http, settings.connection().connectTimeout());
      if (log.isDebugEnabled()) {
        log.debug(
            "{} {} -> HTTP {} in {} ms",
            http.method(),
            http.url(),
            exchange.response().code(),
            (System.nanoTime() - start) / 1_000_000);
      }
      return exchange;
    } catch (IOException e) {
      log.debug(
          "{} {} failed after {} ms: {}",
          http.method(),
          http.url(),
          (System.nanoTime() - start) / 1_000_000,
          e.toString());
      throw errors.fromIo(e, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoryMagicException.Cancelled(
          "interrupted while calling " + id() + "; the call was cancelled");
    }
  }

  /**
   * The whole body, read into its buffer (at most {@code MAX_BODY_BYTES}), to be parsed from there.
   */
  private java.io.InputStream bufferedBody(ResponseBody body) {
    try {
      BufferedSource source = body.source();
      if (source.request(MAX_BODY_BYTES + 1)) {
        throw errors.invalid("a response larger than " + MAX_BODY_BYTES + " bytes", null);
      }
      return source.inputStream();
    } catch (IOException e) {
      throw errors.fromIo(e, false);
    }
  }

  private ModelResponse response(
      String title, List<String> paragraphs, TokenUsage usage, Optional<String> answered) {
    String model = answered.orElse(settings.model());
    PriceTable prices = settings.priceTable();
    BigDecimal cost =
        prices.find(settings.model()).isPresent()
            ? prices.cost(settings.model(), usage)
            : prices.cost(model, usage);
    return new ModelResponse(title, paragraphs, usage, cost, model);
  }

  /**
   * Builds {@link OpenAiStoryModel}. Every option has a default; setting one twice is an {@link
   * IllegalStateException}. Timeouts must be positive: every call has a limit.
   */
  public static final class Builder extends ConnectionChoice<Builder> {
    private final OpenAiStoryModel parent;
    private String model = DEFAULT_MODEL;
    private Double temperature;
    private int maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;
    private TokenLimitField tokenLimitField;
    private double outputTokensPerWord = DEFAULT_OUTPUT_TOKENS_PER_WORD;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private String user;
    private boolean structuredOutput = true;
    private PriceTable priceTable = PriceTable.defaults();
    private EventListener eventListener;
    private io.opentelemetry.api.OpenTelemetry openTelemetry;

    private Builder(OpenAiStoryModel parent) {
      this.parent = parent;
      if (parent != null) {
        Settings s = parent.settings;
        model = s.model();
        temperature = s.temperature().isPresent() ? s.temperature().getAsDouble() : null;
        maxOutputTokens = s.maxOutputTokens();
        tokenLimitField = s.tokenLimitField();
        outputTokensPerWord = s.outputTokensPerWord();
        callTimeout = s.callTimeout();
        user = s.user().orElse(null);
        structuredOutput = s.structuredOutput();
        priceTable = s.priceTable();
        eventListener = s.eventListener().orElse(null);
        openTelemetry = parent.openTelemetry;
      }
    }

    /**
     * Where the span of each call goes ({@code chat <model>}, GenAI semantic conventions; never the
     * prompt or the story). Default the global OpenTelemetry once the application has set it.
     */
    public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      this.openTelemetry = set("openTelemetry", openTelemetry);
      return this;
    }

    /**
     * The model name sent in requests, such as {@code gpt-4o-mini} or {@code llama3.2}. Default
     * {@value #DEFAULT_MODEL}.
     */
    public Builder model(String model) {
      once("model");
      requireNonNull(model, "model");
      require(
          !model.isBlank() && model.length() <= 256,
          "model must be 1..256 characters: '" + model + "'");
      this.model = model.strip();
      return this;
    }

    /**
     * Sampling temperature, 0 to 2. Default unset: the provider's default (reasoning models accept
     * no other).
     */
    public Builder temperature(double temperature) {
      once("temperature");
      require(
          temperature >= 0 && temperature <= 2, "temperature must be within 0..2: " + temperature);
      this.temperature = temperature;
      return this;
    }

    /**
     * Upper bound on output tokens per story, 1 to 1,000,000; each request sends the smaller of
     * this and the limit sized from its length band (see {@link #outputTokensPerWord}). Default
     * 4,096.
     */
    public Builder maxOutputTokens(int tokens) {
      once("maxOutputTokens");
      require(
          tokens >= 1 && tokens <= 1_000_000,
          "maxOutputTokens must be within 1..1000000: " + tokens);
      this.maxOutputTokens = tokens;
      return this;
    }

    /**
     * The field that carries the output cap. Default by base URL ({@link
     * TokenLimitField#forBaseUrl}): {@code max_completion_tokens} for OpenAI and Azure OpenAI,
     * {@code max_tokens} for every other server.
     */
    public Builder tokenLimitField(TokenLimitField field) {
      once("tokenLimitField");
      this.tokenLimitField = requireNonNull(field, "field");
      return this;
    }

    /**
     * Output tokens allowed per word of the requested band's maximum, 1 to 50; the cap sent is this
     * times the band's maximum words plus 100, at most {@link #maxOutputTokens}. Default 2.0. Raise
     * it for reasoning models, whose hidden reasoning counts against the cap, and for languages
     * that take many tokens per word.
     */
    public Builder outputTokensPerWord(double tokens) {
      once("outputTokensPerWord");
      require(tokens >= 1 && tokens <= 50, "outputTokensPerWord must be within 1..50: " + tokens);
      this.outputTokensPerWord = tokens;
      return this;
    }

    /**
     * Limit for a whole call, from connecting to the last byte of a stream; positive, at most 10
     * minutes. Default 55 s. Keep it under the pipeline's attempt time limit. The connection's
     * connect and read timeouts apply within it.
     */
    public Builder callTimeout(Duration timeout) {
      once("callTimeout");
      this.callTimeout = positiveAtMost(timeout, "callTimeout", Duration.ofMinutes(10));
      return this;
    }

    /**
     * The end-user identifier sent as {@code user} for the provider's abuse tracking. Default: a
     * SHA-256 pseudonym of the request's owner, when the request names one; nothing otherwise.
     */
    public Builder user(String user) {
      once("user");
      requireNonNull(user, "user");
      require(!user.isBlank() && user.length() <= 256, "user must be 1..256 characters");
      this.user = user;
      return this;
    }

    /**
     * Whether non-streamed calls ask for a strict JSON-schema {@code response_format}. Default
     * true; false for servers without structured output, which then answer in plain text.
     */
    public Builder structuredOutput(boolean structured) {
      once("structuredOutput");
      this.structuredOutput = structured;
      return this;
    }

    /** Prices for the estimated cost. Default {@link PriceTable#defaults()}. */
    public Builder priceTable(PriceTable prices) {
      once("priceTable");
      this.priceTable = requireNonNull(prices, "prices");
      return this;
    }

    /** Observes HTTP calls, for tests in this package. */
    Builder eventListener(EventListener listener) {
      once("eventListener");
      this.eventListener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the model.
     *
     * @throws IllegalStateException if no key is configured for OpenAI's own API, or a variant's
     *     connection asks for another pool than its model's
     */
    public OpenAiStoryModel build() {
      OpenAiConnection resolved =
          resolveConnection(parent != null ? parent.settings.connection() : null, true);
      if (parent != null && !resolved.samePool(parent.settings.connection())) {
        throw new IllegalStateException(
            "a variant shares its model's connection pool and request limit; build a separate model to change them");
      }
      Settings settings =
          new Settings(
              resolved,
              Endpoint.of(resolved),
              model,
              temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature),
              maxOutputTokens,
              tokenLimitField != null
                  ? tokenLimitField
                  : TokenLimitField.forBaseUrl(resolved.baseUrl()),
              outputTokensPerWord,
              callTimeout,
              Optional.ofNullable(user),
              structuredOutput,
              priceTable,
              Optional.ofNullable(eventListener),
              Clock.systemUTC());
      HttpTransport transport =
          parent != null ? parent.transport().retain() : HttpTransport.create(resolved);
      return new OpenAiStoryModel(settings, transport, Optional.ofNullable(openTelemetry));
    }
  }
}
