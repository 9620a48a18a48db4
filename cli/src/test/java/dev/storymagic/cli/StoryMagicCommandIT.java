package dev.storymagic.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged {@code storymagic-cli.jar} (and the launcher script) as a separate process, as
 * a shell user does, and reads its standard output, standard error and exit code.
 */
class StoryMagicCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String TITLE = "Mia and the Sleepy Comet";
  private static WireMockServer provider;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void startProvider() {
    provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    provider.start();
  }

  @AfterAll
  static void stopProvider() {
    provider.stop();
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("storymagic.cli.jar", "target/storymagic-cli.jar"));
    assertThat(jar).as("the executable jar; run `mvn -pl cli -am verify`").exists();
    return jar;
  }

  static Result run(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar().toString()));
    command.addAll(List.of(args));
    return exec(command, env);
  }

  static Result exec(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    cleanEnvironment(pb);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + LIMIT);
    }
    return new Result(p.exitValue(), out.get(), err.get());
  }

  /** Nothing from the developer's shell decides the model or the store. */
  static void cleanEnvironment(ProcessBuilder pb) {
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("OPENAI_")
                    || k.startsWith("DATABASE_")
                    || k.startsWith("REDIS_")
                    || k.startsWith("FIREBASE_")
                    || k.equals("PORT")
                    || k.equals("APP_ENV")
                    || k.equals("NODE_ENV")
                    || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().put("OFFLINE_STREAM_PACE_MS", "0");
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void helpListsEveryCommandTheExitCodesAndExamples() throws Exception {
    Result r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "Usage: storymagic",
            "generate",
            "themes",
            "check",
            "serve",
            "Exit codes:",
            "78  invalid configuration",
            "--character \"Mia:a curious girl\"");
    Result sub = run(Map.of(), "generate", "--help");
    assertThat(sub.exit()).isZero();
    assertThat(sub.out())
        .contains(
            "--theme=THEME",
            "--age=AGE",
            "--character=NAME[:DESCRIPTION]",
            "--stream",
            "--json",
            "--offline",
            "3-5, 6-8 or 9-12");
  }

  @Test
  void generatePrintsTheTitleThenTheStoryAndNothingOnStandardError() throws Exception {
    Result r =
        run(
            Map.of(),
            "generate",
            "--theme",
            "space",
            "--age",
            "6-8",
            "--character",
            "Mia:a curious girl",
            "--length",
            "short");
    assertThat(r.exit()).as(r.err()).isZero();
    String[] lines = r.out().split("\\R", -1);
    assertThat(lines[0]).isNotBlank();
    assertThat(lines[1]).isEmpty();
    assertThat(r.out()).contains("Mia");
    assertThat(r.out().split("\\s+").length).isGreaterThan(60);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void generateJsonAndStreamedJson() throws Exception {
    Result json = run(Map.of(), "generate", "--theme", "ocean", "--age", "3-5", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode story = JSON.readTree(json.out());
    assertThat(story.get("theme").asText()).isEqualTo("ocean");
    assertThat(story.get("ageGroup").asText()).isEqualTo("3-5");
    assertThat(story.get("paragraphs").size()).isPositive();

    Result streamed =
        run(Map.of(), "generate", "--theme", "ocean", "--age", "3-5", "--stream", "--json");
    assertThat(streamed.exit()).as(streamed.err()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : streamed.out().strip().split("\\R")) {
      events.add(JSON.readTree(line));
    }
    assertThat(events.size()).isGreaterThan(2);
    assertThat(events.subList(0, events.size() - 1))
        .allSatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("text"));
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("story");
    String text =
        String.join(
            " ",
            events.subList(0, events.size() - 1).stream()
                .map(e -> e.get("text").asText())
                .toList());
    assertThat(
            String.join(" ", JSON.convertValue(last.get("paragraphs"), String[].class))
                .replaceAll("\\s+", " "))
        .isEqualTo(text.replaceAll("\\s+", " "));
  }

  @Test
  void streamedTextEndsWithTheTitle() throws Exception {
    Result r = run(Map.of(), "generate", "--theme", "space", "--stream");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().strip()).containsPattern("\\R\\R-- \\S.*$");
  }

  @Test
  void themesAsTextAndJson() throws Exception {
    Result text = run(Map.of(), "themes");
    assertThat(text.exit()).isZero();
    assertThat(text.out()).containsPattern("(?m)^space\\s+\\S");
    Result json = run(Map.of(), "themes", "--json");
    assertThat(JSON.readTree(json.out()).findValuesAsText("id")).contains("space", "ocean");
  }

  @Test
  void checkGivesTheVerdictWithFindingsAndExitCodeFour() throws Exception {
    Result clean =
        run(Map.of(), "check", "Mia shared her cocoa with a sleepy comet.", "--age", "3-5");
    assertThat(clean.exit()).isZero();
    assertThat(clean.out()).startsWith("allowed for ages 3-5");

    Result unsafe =
        run(Map.of(), "check", "The knight killed the dragon", "--age", "3-5", "--json");
    assertThat(unsafe.exit()).isEqualTo(4);
    JsonNode verdict = JSON.readTree(unsafe.out());
    assertThat(verdict.get("allowed").asBoolean()).isFalse();
    assertThat(verdict.get("findings").findValuesAsText("category")).contains("violence");
    assertThat(verdict.get("findings").findValuesAsText("match")).contains("killed");

    // the same words are a note, not a block, for older readers
    Result older =
        run(
            Map.of(),
            "check",
            "The knight killed the dragon",
            "--age",
            "9-12",
            "--stage",
            "output");
    assertThat(older.exit()).as(older.out()).isZero();
  }

  @Test
  void exitCodesPerErrorClass() throws Exception {
    Result badAge = run(Map.of(), "generate", "--theme", "space", "--age", "13-15");
    assertThat(badAge.exit()).isEqualTo(2);
    assertThat(badAge.err()).contains("'13-15' is not an age group: use 3-5, 6-8 or 9-12");

    Result unknownTheme = run(Map.of(), "generate", "--theme", "volcano-lair");
    assertThat(unknownTheme.exit()).isEqualTo(3);
    assertThat(unknownTheme.err()).contains("invalid story request", "theme");

    Result rejected =
        run(Map.of(), "generate", "--theme", "space", "--character", "Rex:a boy who kills people");
    assertThat(rejected.exit()).as(rejected.err()).isEqualTo(4);

    Result badEnv = run(Map.of("MODEL_TIMEOUT_SECONDS", "soon"), "generate", "--theme", "space");
    assertThat(badEnv.exit()).isEqualTo(78);
    assertThat(badEnv.err()).contains("MODEL_TIMEOUT_SECONDS");
  }

  @Test
  void generateUsesTheOpenAiCompatibleProviderFromTheServersEnvironmentVariables()
      throws Exception {
    provider.resetAll();
    provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(completion())));
    Map<String, String> env =
        Map.of(
            "OPENAI_API_KEY",
            "sk-cli-0123456789",
            "OPENAI_BASE_URL",
            provider.baseUrl() + "/v1",
            "OPENAI_MODERATION",
            "false");
    Result r = run(env, "generate", "--theme", "space", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(JSON.readTree(r.out()).get("title").asText()).isEqualTo(TITLE);

    provider.resetAll();
    provider.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}")));
    Result refused = run(env, "generate", "--theme", "space");
    assertThat(refused.exit()).isEqualTo(9);
    assertThat(refused.err()).startsWith("storymagic: ").doesNotContain("sk-cli-0123456789");

    Result offline = run(env, "generate", "--theme", "space", "--offline", "--json");
    assertThat(offline.exit()).isZero();
    assertThat(JSON.readTree(offline.out()).get("model").asText()).startsWith("offline");
  }

  @Test
  void serveRunsTheReferenceServerUntilSigterm() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar().toString(),
            "serve",
            "--port",
            "0");
    cleanEnvironment(pb);
    pb.environment().put("HOST", "127.0.0.1");
    pb.environment().put("EMF_ENABLED", "false");
    pb.environment().put("SHUTDOWN_GRACE_SECONDS", "2");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("StoryMagic listening on http://127\\.0\\.0\\.1:(\\d+)");
      CompletableFuture<Integer> port =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                      return Integer.parseInt(m.group(1));
                    }
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                throw new AssertionError("serve ended without listening");
              });
      int p0 = port.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      var unused =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                  // the process ended
                }
              });
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> live =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p0 + "/health/live"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      HttpResponse<String> themes =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p0 + "/api/themes"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(themes.body()).contains("space");

      p.destroy(); // SIGTERM: the shutdown hook closes the server gracefully
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theLauncherScriptRunsTheJar() throws Exception {
    Path launcher = Path.of(System.getProperty("storymagic.cli.launcher", "bin/storymagic"));
    assertThat(Files.isExecutable(launcher)).as("%s is executable", launcher).isTrue();
    Result r =
        exec(
            List.of(launcher.toString(), "themes"),
            Map.of(
                "STORYMAGIC_JAR", jar().toString(), "JAVA_HOME", System.getProperty("java.home")));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("space");

    Result missing =
        exec(
            List.of(launcher.toString(), "themes"),
            Map.of("STORYMAGIC_JAR", new File("target/no-such.jar").getAbsolutePath()));
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("storymagic-cli.jar not found");
  }

  private static String completion() {
    ObjectNode story = JSON.createObjectNode().put("title", TITLE);
    // Long enough for the hard quality floor of the default request (half of 150 words at ages
    // 6-8):
    // a shorter answer is an unusable story that the pipeline regenerates and then refuses.
    story
        .putArray("paragraphs")
        .add(
            "Mia looked up at the night sky from her window. A small comet yawned and blinked at her, and its"
                + " silver tail curled like a sleepy cat.")
        .add(
            "The comet was tired of flying all night long. Mia climbed onto the roof with her telescope and a"
                + " flashlight, and she gave it a soft blanket made of clouds.")
        .add(
            "They talked about the moon, the planets and the quiet places between the stars. Mia told the comet"
                + " about her school, and the comet told her about the long road around the sun.")
        .add(
            "They shared warm cocoa and counted the stars together. Soon the comet smiled and slept, glowing"
                + " softly like a night light, and Mia went to bed happy.");
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-cli")
            .put("object", "chat.completion")
            .put("created", 1_700_000_000L)
            .put("model", "gpt-4o-mini-2024-07-18");
    ObjectNode choice =
        root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", story.toString());
    root.putObject("usage")
        .put("prompt_tokens", 120)
        .put("completion_tokens", 85)
        .put("total_tokens", 205);
    return root.toString();
  }
}
