package dev.storymagic.openai.internal;

import dev.storymagic.StoryMagicException;
import dev.storymagic.internal.GenAiSpans;
import dev.storymagic.internal.Tracing;
import dev.storymagic.spi.ModelResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The client span of one chat-completions call, after the OpenTelemetry GenAI semantic conventions:
 * named {@code chat <model>}, with the operation, provider, requested and answering model, the
 * server, token usage and finish reasons. Prompts and completions are never recorded: they hold
 * children's names and stories. Not API.
 */
public final class ChatSpans {
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<Boolean> STREAMED = AttributeKey.booleanKey("storymagic.stream");

  private final Tracing tracing;
  private final String model;
  private final String host;
  private final long port;

  public ChatSpans(Optional<OpenTelemetry> openTelemetry, String model, String host, int port) {
    this.tracing = Tracing.of(openTelemetry, "dev.storymagic.openai");
    this.model = model;
    this.host = host;
    this.port = port;
  }

  /** Runs one call inside its span; {@code maxTokens} is the output limit sent, 0 when none. */
  public ModelResponse call(boolean streamed, long maxTokens, Supplier<ModelResponse> work) {
    Span span = tracing.entry("chat " + model, SpanKind.CLIENT);
    if (!span.isRecording()) {
      return work.get();
    }
    GenAiSpans.chatRequest(span, model);
    span.setAttribute(PROVIDER, "openai");
    span.setAttribute(SYSTEM, "openai");
    if (maxTokens > 0) {
      span.setAttribute(MAX_TOKENS, maxTokens);
    }
    span.setAttribute(SERVER_ADDRESS, host);
    span.setAttribute(SERVER_PORT, port);
    span.setAttribute(STREAMED, streamed);
    try (Scope ignored = span.makeCurrent()) {
      ModelResponse response = work.get();
      GenAiSpans.response(span, response);
      // A completion that stopped for any other reason is refused before it gets here.
      span.setAttribute(FINISH_REASONS, List.of("stop"));
      return response;
    } catch (RuntimeException e) {
      if (e instanceof StoryMagicException.ModelFailure f) {
        finishReason(f).ifPresent(reason -> span.setAttribute(FINISH_REASONS, List.of(reason)));
      }
      Tracing.fail(span, e, Tracing.errorType(e));
      throw e;
    } finally {
      span.end();
    }
  }

  private static Optional<String> finishReason(StoryMagicException.ModelFailure e) {
    return switch (e.reason()) {
      case TRUNCATED -> Optional.of("length");
      case CONTENT_FILTERED -> Optional.of("content_filter");
      default -> Optional.empty();
    };
  }
}
