package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reading of a story request body against the tree's: for every body, valid or not,
 * the same request and asset options or the same error.
 */
class RequestBodyTest {
  final StoryJson json = new StoryJson();

  /** What reading a body gave: the request and options, or the error, or another exception. */
  private record Outcome(StoryRequest request, AssetOptions assets, ApiError error, String other) {}

  private Outcome byTree(byte[] body) {
    try {
      JsonNode tree = json.requestTree(body);
      StoryRequest request = json.parseRequest(tree);
      return new Outcome(request, AssetOptions.parse(tree), null, null);
    } catch (ApiException e) {
      return new Outcome(null, null, e.error(), null);
    } catch (RuntimeException e) {
      return new Outcome(null, null, null, e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private Outcome read(byte[] body) {
    try {
      RequestBody read = json.readRequest(body);
      return new Outcome(read.request(), read.assets(), null, null);
    } catch (ApiException e) {
      return new Outcome(null, null, e.error(), null);
    } catch (RuntimeException e) {
      return new Outcome(null, null, null, e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPlainRequestIsReadInOnePassWithEveryField() {
    String body =
        "{\"theme\":\"space\",\"ageGroup\":\"6-8\",\"length\":\"short\",\"characters\":"
            + "[{\"name\":\"Mia\",\"description\":\"a curious girl\"},{\"name\":\"Leo\"}],"
            + "\"setting\":\"a moon base\",\"moral\":\"sharing\",\"idea\":\"a lost robot\","
            + "\"language\":\"en-GB\",\"fresh\":true,\"illustrate\":true,\"narrate\":false}";
    RequestBody plain = RequestBody.readPlain(json.mapper().getFactory(), utf8(body));
    assertThat(plain).isNotNull();
    assertThat(plain.request().theme()).isEqualTo("space");
    assertThat(plain.request().ageGroup()).isEqualTo(AgeGroup.parse("6-8").orElseThrow());
    assertThat(plain.request().length()).isEqualTo(StoryLength.parse("short").orElseThrow());
    assertThat(plain.request().characters()).hasSize(2);
    assertThat(plain.request().characters().get(1).description()).isEmpty();
    assertThat(plain.request().setting()).hasValue("a moon base");
    assertThat(plain.request().language()).isEqualTo("en-GB");
    assertThat(plain.request().fresh()).isTrue();
    assertThat(plain.assets()).isEqualTo(new AssetOptions(true, false));
    assertThat(read(utf8(body))).isEqualTo(byTree(utf8(body)));
  }

  /** Bodies at the edges of what the one pass takes: each read as the tree reads it. */
  @Test
  void edgeCasesReadAsTheTreeReadsThem() {
    List<String> bodies =
        List.of(
            "",
            " ",
            "null",
            "[]",
            "\"space\"",
            "{}",
            "{\"theme\":\"space\"}",
            "{\"theme\":\"space\"} ",
            "{\"theme\":\"space\"}{}",
            "{\"theme\":\"space\"} x",
            "{\"theme\":\"space\"",
            "{\"theme\":\"space\",}",
            "{\"theme\":null}",
            "{\"theme\":\"\"}",
            "{\"theme\":\"space\",\"theme\":\"sea\"}",
            "{\"theme\":\"space\",\"theme\":3}",
            "{\"theme\":3}",
            "{\"theme\":\"space\",\"colour\":\"red\"}",
            "{\"theme\":\"space\",\"owner\":\"u1\"}",
            "{\"theme\":\"space\",\"ageGroup\":\"9-99\"}",
            "{\"theme\":\"space\",\"ageGroup\":null}",
            "{\"theme\":\"space\",\"length\":\"epic\"}",
            "{\"theme\":\"space\",\"fresh\":\"yes\"}",
            "{\"theme\":\"space\",\"fresh\":null}",
            "{\"theme\":\"space\",\"fresh\":false}",
            "{\"theme\":\"space\",\"illustrate\":1}",
            "{\"theme\":\"space\",\"narrate\":null}",
            "{\"theme\":\"space\",\"language\":null}",
            "{\"theme\":\"space\",\"language\":\"\"}",
            "{\"theme\":\"space\",\"characters\":null}",
            "{\"theme\":\"space\",\"characters\":[]}",
            "{\"theme\":\"space\",\"characters\":{}}",
            "{\"theme\":\"space\",\"characters\":[\"Mia\"]}",
            "{\"theme\":\"space\",\"characters\":[{}]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":null}]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":\"Mia\",\"description\":null}]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":\"Mia\",\"name\":\"Leo\"}]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":\"Mia\",\"age\":\"7\"}]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":\"Mia\"},null]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":\"Mia\"}],\"characters\":[]}",
            "{\"theme\":\"space\",\"characters\":[[{\"name\":\"Mia\"}]]}",
            "{\"theme\":\"sp\\u0061ce\",\"moral\":\"\\\"share\\\"\\n\"}",
            "{\"theme\":\"\uD83D\uDE80 space\",\"idea\":\"\u00e9t\u00e9\"}",
            "{\"theme\":\"space\",\"setting\":{\"place\":\"moon\"}}",
            "{\"theme\":\"space\",\"idea\":[\"a\",\"b\"]}",
            "{\"theme\":\"space\",\"characters\":[{\"name\":\"M\",\"description\":\"d\"}"
                + ",{\"name\":\"N\"},{\"name\":\"O\"},{\"name\":\"P\"},{\"name\":\"Q\"}]}",
            "{'theme':'space'}",
            "{\"theme\":\"space\"/* note */}",
            "\uFEFF{\"theme\":\"space\"}");
    for (String body : bodies) {
      assertThat(read(utf8(body))).as(body).isEqualTo(byTree(utf8(body)));
    }
  }

  /**
   * Thousands of bodies made of known, unknown, repeated and mistyped fields: the same outcome each
   * time, and a good share of them read in one pass (the comparison means something only if the one
   * pass takes bodies).
   */
  @Test
  void randomBodiesReadAsTheTreeReadsThem() {
    Random random = new Random(20261204L);
    int plain = 0;
    int valid = 0;
    int bodies = 20_000;
    for (int i = 0; i < bodies; i++) {
      byte[] body = utf8(randomBody(random));
      Outcome expected = byTree(body);
      assertThat(read(body)).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(expected);
      if (RequestBody.readPlain(json.mapper().getFactory(), body) != null) {
        plain++;
      }
      if (expected.request() != null) {
        valid++;
      }
    }
    assertThat(plain).as("bodies read in one pass").isGreaterThan(bodies / 10);
    assertThat(valid - plain).as("valid bodies left to the tree").isLessThan(valid / 2);
  }

  private static final String[] FIELDS = {
    "theme",
    "ageGroup",
    "length",
    "characters",
    "setting",
    "moral",
    "idea",
    "language",
    "fresh",
    "illustrate",
    "narrate"
  };

  private static String randomBody(Random r) {
    if (r.nextInt(40) == 0) {
      return List.of("", "[]", "null", "{", "{\"theme\":\"space\"} 1", "{\"theme\":\"a\"}}")
          .get(r.nextInt(6));
    }
    List<String> members = new ArrayList<>();
    boolean themeFirst = r.nextInt(10) > 0;
    if (themeFirst) {
      members.add("\"theme\":" + string(r));
    }
    int extra = r.nextInt(7);
    for (int i = 0; i < extra; i++) {
      String field =
          r.nextInt(25) == 0
              ? List.of("owner", "colour", "Theme", "idempotencyKey").get(r.nextInt(4))
              : FIELDS[r.nextInt(FIELDS.length)];
      members.add(r.nextInt(members.size() + 1), "\"" + field + "\":" + valueFor(field, r));
      if (members.size() > 12) {
        break;
      }
    }
    return "{" + String.join(",", members) + "}";
  }

  private static String valueFor(String field, Random r) {
    if (r.nextInt(12) == 0) {
      return anyValue(r);
    }
    return switch (field) {
      case "ageGroup" ->
          quoted(List.of("3-5", "6-8", "9-12", "6-8 ", "teen", "").get(r.nextInt(6)));
      case "length" -> quoted(List.of("short", "medium", "long", "epic").get(r.nextInt(4)));
      case "fresh", "illustrate", "narrate" ->
          List.of("true", "false", "null", "\"true\"").get(r.nextInt(4));
      case "characters" -> characters(r);
      default -> string(r);
    };
  }

  private static String characters(Random r) {
    int n = r.nextInt(6);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int shape = r.nextInt(14);
      items.add(
          switch (shape) {
            case 0 -> "{}";
            case 1 -> "{\"name\":null}";
            case 2 -> "{\"name\":" + string(r) + ",\"age\":\"7\"}";
            case 3 -> "{\"description\":" + string(r) + "}";
            case 4 -> "{\"name\":" + string(r) + ",\"description\":null}";
            case 5 -> "{\"name\":" + string(r) + ",\"name\":" + string(r) + "}";
            case 6 -> anyValue(r);
            case 7, 8, 9 -> "{\"name\":" + string(r) + "}";
            default -> "{\"description\":" + string(r) + ",\"name\":" + string(r) + "}";
          });
    }
    return "[" + String.join(",", items) + "]";
  }

  private static String anyValue(Random r) {
    return List.of("null", "1", "2.5", "true", "[]", "{}", "\"x\"", "[1,2]", "{\"a\":1}")
        .get(r.nextInt(9));
  }

  private static String string(Random r) {
    return quoted(
        List.of(
                "space",
                "Mia",
                "a curious girl",
                "",
                " ",
                "sp\\u0061ce",
                "line\\nbreak",
                "quote \\\"q\\\"",
                "\u00e9t\u00e9",
                "\uD83D\uDE80")
            .get(r.nextInt(10)));
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
