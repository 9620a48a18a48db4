package dev.storymagic.internal.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Optional;

/**
 * A value of a document, possibly already written as JSON: the prewritten JSON goes out as raw
 * bytes (a story's title and paragraphs, serialised once and kept beside the cached story); without
 * it the value is written as usual, so a tree built from the document holds ordinary nodes.
 */
@JsonSerialize(using = Fragment.Writer.class)
public record Fragment(Object value, Optional<SerializableString> json) {

  /** A value to write as usual. */
  public static Fragment of(Object value) {
    return new Fragment(value, Optional.empty());
  }

  /** A value whose JSON is already written: {@code json} must be that value's JSON. */
  public static Fragment prewritten(Object value, SerializableString json) {
    return new Fragment(value, Optional.of(json));
  }

  static final class Writer extends StdSerializer<Fragment> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(Fragment.class);
    }

    @Override
    public void serialize(Fragment fragment, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      if (fragment.json().isPresent()) {
        g.writeRawValue(fragment.json().get());
      } else {
        provider.defaultSerializeValue(fragment.value(), g);
      }
    }
  }
}
