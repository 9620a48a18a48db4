package dev.storymagic.internal;

import dev.storymagic.spi.ModelResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * The attributes a span of a chat call carries after the OpenTelemetry GenAI semantic conventions,
 * for every module that traces model calls. Setters do nothing on a span that does not record. Not
 * API.
 */
public final class GenAiSpans {
  public static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");

  private GenAiSpans() {}

  /** A chat operation asking {@code model}. */
  public static void chatRequest(Span span, String model) {
    span.setAttribute(OPERATION, "chat");
    span.setAttribute(REQUEST_MODEL, model);
  }

  /** The model that answered and the tokens the call used. */
  public static void response(Span span, ModelResponse response) {
    span.setAttribute(RESPONSE_MODEL, response.model());
    span.setAttribute(INPUT_TOKENS, response.usage().inputTokens());
    span.setAttribute(OUTPUT_TOKENS, response.usage().outputTokens());
  }
}
