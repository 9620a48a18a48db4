package dev.storymagic.internal.wire;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The one configured Jackson mapper for story JSON. Decimals are written plain ({@code 0.000222},
 * never {@code 2.22E-4}). Reading never coerces: a quoted number is not a number, a number or a
 * boolean is not a string, a fraction is not a whole number, a field not marked {@link
 * OptionalField} is never missing or {@code null}. Strings are bounded at {@value
 * #MAX_STRING_CHARS} characters. Callers that need tighter reading limits (request bodies) take a
 * {@link #copy()} and narrow it. Not API.
 */
public final class Wire {
  /** The longest string a story document may hold: a story's whole text fits many times over. */
  public static final int MAX_STRING_CHARS = 4 * 1024 * 1024;

  /**
   * How many sets of reading and writing buffers the mapper keeps for reuse. Jackson's default
   * keeps one set per thread, which a virtual thread (one per request on Java 21 and later) never
   * uses twice: every story written or request read then allocated its buffers afresh, about 13 KB
   * per answer. A shared pool serves both kinds of thread; beyond this many in use at once, buffers
   * are allocated and dropped after use.
   */
  static final int POOLED_BUFFER_SETS = 64;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
                  .recyclerPool(JsonRecyclerPools.newBoundedPool(POOLED_BUFFER_SETS))
                  .build())
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          // A document field is required unless marked @OptionalField: missing or null, it fails
          // naming the field, and so does a null element of a list.
          .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL))
          // Nor is a number or a boolean a string.
          .withCoercionConfig(
              LogicalType.Textual,
              text ->
                  text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private Wire() {}

  /** The shared mapper; thread-safe once built, never to be reconfigured. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * An independent copy to narrow (reading limits, features) without touching the shared mapper.
   */
  public static ObjectMapper copy() {
    return MAPPER.copy();
  }
}
