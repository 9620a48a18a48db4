package dev.storymagic.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.server.ServerConfig;
import dev.storymagic.server.StoryMagicServer;
import dev.storymagic.server.internal.StaticSite;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The playground's page and assets over plain HTTP: hashed names, cache headers, content security
 * policy.
 */
class PlaygroundHttpTest {
  private static final Pattern HASHED_REFERENCE =
      Pattern.compile("/assets/([a-z]+)\\.([0-9a-f]{12})\\.([a-z]+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String FIXTURE = "dev/storymagic/server/web/fixture-site";

  private static StoryMagicServer server;

  @BeforeAll
  static void start() {
    server =
        StoryMagicServer.start(
            ServerConfig.fromEnvironment(
                Map.of("PORT", "0", "HOST", "127.0.0.1", "EMF_ENABLED", "false")),
            line -> {});
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pageIsCachedBrieflyWithATightContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    assertThat(page.headers().allValues("Content-Security-Policy"))
        .containsExactly(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; "
                + "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    assertThat(page.body())
        .doesNotContain("gstatic", "{{storymagic-config}}")
        .contains("{\"identity\":\"development\",\"developmentUser\":\"local-developer\"}");
  }

  @Test
  void pageAnswersNotModifiedToItsOwnEtag() throws Exception {
    HttpResponse<String> page = get("/");
    String etag = page.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again =
        HTTP.send(
            HttpRequest.newBuilder(uri("/")).header("If-None-Match", etag).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> other =
        HTTP.send(
            HttpRequest.newBuilder(uri("/")).header("If-None-Match", "\"stale\"").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo(page.body());
  }

  @Test
  void everyAssetThePageUsesIsServedUnderItsContentHashAsImmutable() throws Exception {
    String page = get("/").body();
    Set<String> references = new LinkedHashSet<>();
    Matcher m = HASHED_REFERENCE.matcher(page);
    while (m.find()) {
      references.add(m.group());
    }
    assertThat(references)
        .extracting(r -> r.replaceAll("\\.[0-9a-f]{12}\\.", "."))
        .contains("/assets/app.js", "/assets/app.css", "/assets/icon.svg");
    assertThat(page).doesNotContain("/assets/app.js\"", "/assets/app.css\"");

    for (String reference : references) {
      Matcher parts = HASHED_REFERENCE.matcher(reference);
      assertThat(parts.matches()).isTrue();
      String source = parts.group(1) + "." + parts.group(3);
      HttpResponse<byte[]> asset =
          HTTP.send(
              HttpRequest.newBuilder(uri(reference)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(asset.statusCode()).as(reference).isEqualTo(200);
      assertThat(asset.headers().firstValue("Cache-Control"))
          .as(reference)
          .hasValue("public, max-age=31536000, immutable");
      assertThat(StaticSite.hashedName(source, asset.body()))
          .as("the name is the hash of what is served")
          .isEqualTo(parts.group(1) + "." + parts.group(2) + "." + parts.group(3));
      if (!source.endsWith(".css")) {
        assertThat(asset.body()).as(reference).isEqualTo(resource("web/assets/" + source));
      }
    }
  }

  @Test
  void assetsHaveTheirContentTypes() throws Exception {
    String page = get("/").body();
    Map<String, String> expected =
        Map.of("js", "text/javascript", "css", "text/css", "svg", "image/svg+xml");
    Matcher m = HASHED_REFERENCE.matcher(page);
    Map<String, String> seen = new HashMap<>();
    while (m.find()) {
      seen.put(m.group(3), get(m.group()).headers().firstValue("Content-Type").orElse(""));
    }
    expected.forEach(
        (extension, type) -> assertThat(seen.get(extension)).as(extension).startsWith(type));
  }

  @Test
  void unhashedAndStaleAssetNamesAreNotFound() throws Exception {
    for (String path :
        List.of(
            "/assets/app.js",
            "/assets/app.000000000000.js",
            "/assets/app.css",
            "/assets/index.html",
            "/assets/nothing.js")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).contains("\"code\":\"not_found\"");
      assertThat(response.headers().firstValue("Cache-Control"))
          .as(path)
          .isNotEqualTo(StaticSite.IMMUTABLE);
    }
  }

  @Test
  void styleSheetsAreHashedAfterTheirOwnReferencesAreRewritten() {
    StaticSite site = StaticSite.load(FIXTURE, ServerConfig.defaults()).orElseThrow();
    String dot = site.hashedName("dot.svg").orElseThrow();
    String sheetName = site.hashedName("site.css").orElseThrow();
    byte[] sheet = site.asset(sheetName).orElseThrow();
    String page = new String(site.page(), StandardCharsets.UTF_8);

    assertThat(dot).matches("dot\\.[0-9a-f]{12}\\.svg");
    assertThat(new String(sheet, StandardCharsets.UTF_8))
        .contains("url(/assets/" + dot + ")")
        .doesNotContain("/assets/dot.svg");
    assertThat(sheetName).isEqualTo(StaticSite.hashedName("site.css", sheet));
    assertThat(page)
        .contains(
            "href=\"/assets/" + sheetName + "\"",
            "src=\"/assets/" + site.hashedName("site.js").orElseThrow())
        .doesNotContain("/assets/site.css", "/assets/site.js");
    assertThat(site.asset("site.css")).isEmpty();
  }

  @Test
  void firebaseSignInAddsOnlyItsOwnOriginsToThePolicyAndTellsThePageHowToSignIn() {
    ServerConfig config =
        ServerConfig.fromEnvironment(
            Map.of(
                "FIREBASE_PROJECT_ID",
                "storymagic-test",
                "FIREBASE_WEB_API_KEY",
                "AIzaSyTestKey_0123456789",
                "PORT",
                "0"));

    String csp = StaticSite.csp(config);
    String page =
        new String(StaticSite.load("web", config).orElseThrow().page(), StandardCharsets.UTF_8);

    assertThat(csp)
        .contains(
            "script-src 'self' https://www.gstatic.com https://apis.google.com;",
            "connect-src 'self' https://identitytoolkit.googleapis.com https://securetoken.googleapis.com;",
            "frame-src https://storymagic-test.firebaseapp.com;",
            "default-src 'none';",
            "frame-ancestors 'none'");
    assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*");
    assertThat(page)
        .contains(
            "\"identity\":\"firebase\"",
            "\"apiKey\":\"AIzaSyTestKey_0123456789\"",
            "\"authDomain\":\"storymagic-test.firebaseapp.com\"",
            "\"projectId\":\"storymagic-test\"",
            "\"firebaseSdk\":\"" + StaticSite.FIREBASE_SDK + "\"");
  }

  @Test
  void firebaseWithoutWebSettingsKeepsThePolicyToTheServerItself() {
    ServerConfig config =
        ServerConfig.fromEnvironment(Map.of("FIREBASE_PROJECT_ID", "storymagic-test", "PORT", "0"));

    String page =
        new String(StaticSite.load("web", config).orElseThrow().page(), StandardCharsets.UTF_8);

    assertThat(StaticSite.csp(config)).isEqualTo(StaticSite.PAGE_CSP);
    assertThat(page).contains("{\"identity\":\"firebase\",\"firebase\":null}");
  }

  @Test
  void webSignInValuesAreReadFromAFirebaseWebAppConfig() {
    ServerConfig config =
        ServerConfig.fromEnvironment(
            Map.of(
                "FIREBASE_CONFIG",
                "{\"apiKey\":\"AIzaSyFromConfig_0123456\",\"authDomain\":\"login.example.com\",\"projectId\":\"storymagic-prod\"}"));

    ServerConfig.Firebase firebase = config.firebase().orElseThrow();

    assertThat(firebase.projectId()).isEqualTo("storymagic-prod");
    assertThat(firebase.webSignIn())
        .contains(new ServerConfig.WebSignIn("AIzaSyFromConfig_0123456", "login.example.com"));
  }

  @Test
  void webSignInValuesWithoutAProjectAreRefused() {
    assertThatThrownBy(
            () ->
                ServerConfig.fromEnvironment(
                    Map.of("FIREBASE_WEB_API_KEY", "AIzaSyTestKey_0123456789")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "FIREBASE_WEB_API_KEY/FIREBASE_AUTH_DOMAIN are set but no Firebase project is");
    assertThatThrownBy(
            () ->
                ServerConfig.fromEnvironment(
                    Map.of(
                        "FIREBASE_PROJECT_ID",
                        "storymagic-test",
                        "FIREBASE_WEB_API_KEY",
                        "AIza<script>",
                        "FIREBASE_AUTH_DOMAIN",
                        "evil.example.com/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FIREBASE_WEB_API_KEY is not a Firebase web API key")
        .hasMessageContaining("FIREBASE_AUTH_DOMAIN 'evil.example.com/x' is not a host name");
  }

  @Test
  void aPageReferringToAMissingAssetStopsTheServerFromStarting() {
    assertThatThrownBy(
            () -> StaticSite.load("dev/storymagic/server/web/broken-site", ServerConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "dev/storymagic/server/web/broken-site/index.html references /assets/missing.js, "
                + "which is not a file in the assets folder");
  }

  @Test
  void aFolderWithoutAPageIsNoSite() {
    assertThat(StaticSite.load("dev/storymagic/server/web/no-such-site", ServerConfig.defaults()))
        .isEmpty();
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = PlaygroundHttpTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
