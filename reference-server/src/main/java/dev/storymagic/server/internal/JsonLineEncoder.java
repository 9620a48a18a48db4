package dev.storymagic.server.internal;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextVO;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * logback's {@link JsonEncoder} lines, written by Jackson into one reused buffer instead of a
 * string built per line: the same fields, in the same order, with the same values (key-value pairs,
 * arguments and MDC values as strings, {@code "throwable":null} when there is none), so every
 * consumer of the log reads the same JSON. logback's encoder builds each line in a new string,
 * escapes every key and value into another, then copies the line twice more; at ten thousand access
 * lines a second that was about 3 KB of garbage and a few microseconds of CPU per line (profiled on
 * the cached {@code POST}). Not API.
 *
 * <p>Lines with a throwable (rare: errors) are written by logback's encoder itself ({@link
 * #writeLine} returns false), as are any Jackson refuses to write. Half of a surrogate pair, which
 * UTF-8 cannot encode, is written as its {@code \\u} escape (logback writes {@code ?}). The {@code
 * with…} settings are logback's, read here too.
 *
 * <p>Not thread-safe: {@link StdoutAppender} calls {@link #writeLine} under its stream lock.
 */
public final class JsonLineEncoder extends JsonEncoder {
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  private static final String NULL = "null";

  private boolean withSequenceNumber = true;
  private boolean withTimestamp = true;
  private boolean withNanoseconds = true;
  private boolean withLevel = true;
  private boolean withThreadName = true;
  private boolean withLoggerName = true;
  private boolean withContext = true;
  private boolean withMarkers = true;
  private boolean withMdc = true;
  private boolean withKvpList = true;
  private boolean withMessage = true;
  private boolean withArguments = true;
  private boolean withThrowable = true;
  private boolean withFormattedMessage = false;

  /** One line at a time, kept between lines: grows to the longest line written, up to a bound. */
  private final Line line = new Line();

  private JsonGenerator generator;

  /**
   * Writes the event's line to {@code out}; false, with nothing written, when it is for logback's
   * encoder ({@link #encode}) instead.
   */
  public boolean writeLine(ILoggingEvent event, OutputStream out) throws IOException {
    if (event.getThrowableProxy() != null) {
      return false;
    }
    line.reset();
    try {
      JsonGenerator g = generator();
      write(g, event);
      g.flush(); // into the line buffer, not the stream
    } catch (IOException | RuntimeException e) {
      // Jackson's refusal: its state is mid-object, so it is not reused; logback's encoder writes
      // the line.
      generator = null;
      line.reset();
      return false;
    }
    line.write('\n');
    line.writeTo(out);
    line.shrink();
    return true;
  }

  private JsonGenerator generator() throws IOException {
    if (generator == null) {
      generator = JSON.createGenerator(line);
      generator.setRootValueSeparator(null); // each line ends with its own newline
    }
    return generator;
  }

  private void write(JsonGenerator g, ILoggingEvent event) throws IOException {
    g.writeStartObject();
    if (withSequenceNumber) {
      g.writeNumberField("sequenceNumber", event.getSequenceNumber());
    }
    if (withTimestamp) {
      g.writeNumberField("timestamp", event.getTimeStamp());
    }
    if (withNanoseconds) {
      g.writeNumberField("nanoseconds", event.getNanoseconds());
    }
    if (withLevel) {
      g.writeStringField("level", event.getLevel() == null ? NULL : event.getLevel().levelStr);
    }
    if (withThreadName) {
      g.writeStringField("threadName", orNull(event.getThreadName()));
    }
    if (withLoggerName) {
      g.writeStringField("loggerName", orNull(event.getLoggerName()));
    }
    if (withContext) {
      writeContext(g, event.getLoggerContextVO());
    }
    if (withMarkers && event.getMarkerList() != null) {
      g.writeArrayFieldStart("markers");
      for (Marker marker : event.getMarkerList()) {
        g.writeString(string(marker));
      }
      g.writeEndArray();
    }
    if (withMdc) {
      g.writeObjectFieldStart("mdc");
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
          g.writeStringField(string(entry.getKey()), string(entry.getValue()));
        }
      }
      g.writeEndObject();
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (withKvpList && pairs != null && !pairs.isEmpty()) {
      g.writeArrayFieldStart("kvpList");
      for (int i = 0; i < pairs.size(); i++) {
        KeyValuePair pair = pairs.get(i);
        g.writeStartObject();
        g.writeStringField(string(pair.key), string(pair.value));
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (withMessage) {
      g.writeStringField("message", orNull(event.getMessage()));
    }
    if (withFormattedMessage) {
      g.writeStringField("formattedMessage", orNull(event.getFormattedMessage()));
    }
    Object[] arguments = event.getArgumentArray();
    if (withArguments && arguments != null) {
      g.writeArrayFieldStart("arguments");
      for (Object argument : arguments) {
        g.writeString(string(argument));
      }
      g.writeEndArray();
    }
    if (withThrowable) {
      g.writeNullField("throwable"); // a line with one is logback's to write
    }
    g.writeEndObject();
  }

  private static void writeContext(JsonGenerator g, LoggerContextVO context) throws IOException {
    if (context == null) {
      g.writeNullField("context");
      return;
    }
    g.writeObjectFieldStart("context");
    g.writeStringField("name", orNull(context.getName()));
    g.writeNumberField("birthdate", context.getBirthTime());
    Map<String, String> properties = context.getPropertyMap();
    if (properties == null) {
      g.writeNullField("properties");
    } else {
      g.writeObjectFieldStart("properties");
      for (Map.Entry<String, String> entry : properties.entrySet()) {
        g.writeStringField(string(entry.getKey()), string(entry.getValue()));
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** As logback writes a value: its {@code toString()}, or the string {@code "null"}. */
  private static String string(Object value) {
    return value == null ? NULL : value.toString();
  }

  private static String orNull(String value) {
    return value == null ? NULL : value;
  }

  /** A byte buffer whose array is kept across lines, up to {@link #KEPT} bytes. */
  private static final class Line extends ByteArrayOutputStream {
    /** Lines are rarely longer; one that was does not keep its array for the process's life. */
    static final int KEPT = 64 * 1024;

    Line() {
      super(1024);
    }

    void shrink() {
      if (buf.length > KEPT) {
        buf = new byte[1024];
        count = 0;
      }
    }

    int capacity() {
      return buf.length;
    }
  }

  /** For tests: the bytes the line buffer keeps between lines. */
  int bufferCapacity() {
    return line.capacity();
  }

  // logback's settings, kept here as well: its fields are its own.

  @Override
  public void setWithSequenceNumber(boolean on) {
    super.setWithSequenceNumber(on);
    withSequenceNumber = on;
  }

  @Override
  public void setWithTimestamp(boolean on) {
    super.setWithTimestamp(on);
    withTimestamp = on;
  }

  @Override
  public void setWithNanoseconds(boolean on) {
    super.setWithNanoseconds(on);
    withNanoseconds = on;
  }

  @Override
  public void setWithLevel(boolean on) {
    super.setWithLevel(on);
    withLevel = on;
  }

  @Override
  public void setWithThreadName(boolean on) {
    super.setWithThreadName(on);
    withThreadName = on;
  }

  @Override
  public void setWithLoggerName(boolean on) {
    super.setWithLoggerName(on);
    withLoggerName = on;
  }

  @Override
  public void setWithContext(boolean on) {
    super.setWithContext(on);
    withContext = on;
  }

  @Override
  public void setWithMarkers(boolean on) {
    super.setWithMarkers(on);
    withMarkers = on;
  }

  @Override
  public void setWithMDC(boolean on) {
    super.setWithMDC(on);
    withMdc = on;
  }

  @Override
  public void setWithKVPList(boolean on) {
    super.setWithKVPList(on);
    withKvpList = on;
  }

  @Override
  public void setWithMessage(boolean on) {
    super.setWithMessage(on);
    withMessage = on;
  }

  @Override
  public void setWithArguments(boolean on) {
    super.setWithArguments(on);
    withArguments = on;
  }

  @Override
  public void setWithThrowable(boolean on) {
    super.setWithThrowable(on);
    withThrowable = on;
  }

  @Override
  public void setWithFormattedMessage(boolean on) {
    super.setWithFormattedMessage(on);
    withFormattedMessage = on;
  }
}
