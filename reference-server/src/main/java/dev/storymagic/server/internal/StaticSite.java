package dev.storymagic.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.internal.Hashing;
import dev.storymagic.server.ServerConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The web playground, served from a classpath folder ({@code /web}) without a build step.
 *
 * <p>At start every file directly in {@code <root>/assets} is read and given a content-hashed name
 * ({@code app.js} becomes {@code app.<12 hex digits of its SHA-256>.js}). Only the hashed names are
 * served, at {@code /assets/<name>}, with {@value #IMMUTABLE}: a new deploy changes the names, so a
 * year-long cache in CloudFront and browsers never serves a stale file. The source names and stale
 * hashes answer 404. References to {@code /assets/<name>} in {@code index.html} and in style sheets
 * are rewritten to the hashed names (a style sheet is hashed after its references are rewritten); a
 * reference to a file that does not exist stops the server from starting.
 *
 * <p>The page at {@code /} is cached briefly ({@value #PAGE_CACHE}) so a deploy is seen at once,
 * carries an ETag, and carries a content security policy that allows what the page uses and nothing
 * else: its own scripts, styles, images and API, plus the Firebase web SDK's origins only when the
 * server is configured for Firebase sign-in. The placeholder {@value #CONFIG_PLACEHOLDER} in the
 * page is replaced by a JSON document telling the script how users are identified.
 */
public final class StaticSite {
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";
  public static final String PAGE_CACHE = "public, max-age=300";
  static final String CONFIG_PLACEHOLDER = "{{storymagic-config}}";

  /** The Firebase web SDK the page imports when sign-in is configured. */
  public static final String FIREBASE_SDK = "https://www.gstatic.com/firebasejs/10.14.1";

  public static final String PAGE_CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
          + "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private static final Pattern ASSET_REFERENCE =
      Pattern.compile("/assets/([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)");
  private static final Pattern SOURCE_NAME =
      Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.[A-Za-z0-9]+");
  private static final int HASH_HEX_DIGITS = 12;
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "webp", "image/webp",
          "woff2", "font/woff2",
          "json", "application/json",
          "webmanifest", "application/manifest+json");

  /** A servable file: its bytes and content type. */
  @SuppressWarnings("ArrayRecordComponent") // served as is, never compared
  record Asset(byte[] body, String contentType) {}

  private final Map<String, Asset> assets;
  private final Map<String, String> hashedNames;
  private final byte[] page;
  private final String pageEtag;
  private final String pageCsp;

  private StaticSite(
      Map<String, Asset> assets, Map<String, String> hashedNames, byte[] page, String pageCsp) {
    this.assets = Map.copyOf(assets);
    this.hashedNames = Map.copyOf(hashedNames);
    this.page = page;
    this.pageEtag = "\"" + sha256Hex(page).substring(0, 20) + "\"";
    this.pageCsp = pageCsp;
  }

  /**
   * Installs the playground from the classpath folder {@code /web} when it exists.
   *
   * @return whether a site was found
   * @throws IllegalStateException if the site cannot be read or references a missing asset
   */
  public static boolean install(JavalinConfig javalin, ServerConfig config) {
    Optional<StaticSite> site = load("web", config);
    site.ifPresent(s -> s.register(javalin));
    return site.isPresent();
  }

  /**
   * Reads the site under a classpath folder; empty when it has no {@code index.html}.
   *
   * @throws IllegalStateException if the site cannot be read or references a missing asset
   */
  public static Optional<StaticSite> load(String root, ServerConfig config) {
    requireNonNull(root, "root");
    requireNonNull(config, "config");
    ClassLoader loader = StaticSite.class.getClassLoader();
    byte[] html = read(loader, root + "/index.html");
    if (html == null) {
      return Optional.empty();
    }
    Map<String, byte[]> sources = listAssets(loader, root + "/assets");
    Map<String, String> hashed = new LinkedHashMap<>();
    Map<String, Asset> served = new LinkedHashMap<>();
    // Style sheets may point at other assets, so they are hashed after everything else.
    List<String> order = new ArrayList<>(sources.keySet());
    order.sort((a, b) -> Boolean.compare(a.endsWith(".css"), b.endsWith(".css")));
    for (String name : order) {
      byte[] body = sources.get(name);
      if (name.endsWith(".css")) {
        body =
            rewrite(new String(body, StandardCharsets.UTF_8), hashed, root + "/assets/" + name)
                .getBytes(StandardCharsets.UTF_8);
      }
      String hashedName = hashedName(name, body);
      hashed.put(name, hashedName);
      served.put(hashedName, new Asset(body, contentType(name)));
    }
    String rendered =
        rewrite(new String(html, StandardCharsets.UTF_8), hashed, root + "/index.html");
    if (!rendered.contains(CONFIG_PLACEHOLDER)) {
      throw new IllegalStateException(
          root + "/index.html has no " + CONFIG_PLACEHOLDER + " placeholder");
    }
    rendered = rendered.replace(CONFIG_PLACEHOLDER, pageConfig(config));
    return Optional.of(
        new StaticSite(served, hashed, rendered.getBytes(StandardCharsets.UTF_8), csp(config)));
  }

  /** The content security policy of the page for this configuration. */
  public static String csp(ServerConfig config) {
    Optional<ServerConfig.WebSignIn> web =
        config.firebase().flatMap(ServerConfig.Firebase::webSignIn);
    if (web.isEmpty()) {
      return PAGE_CSP;
    }
    // The Firebase SDK's modules come from gstatic; its sign-in pop-up helper from apis.google.com;
    // it talks to the Identity Toolkit and Secure Token APIs and embeds the project's auth domain.
    return "default-src 'none'; script-src 'self' https://www.gstatic.com https://apis.google.com; "
        + "style-src 'self'; img-src 'self'; media-src 'self'; "
        + "connect-src 'self' https://identitytoolkit.googleapis.com https://securetoken.googleapis.com; "
        + "frame-src https://"
        + web.get().authDomain()
        + "; manifest-src 'self'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'";
  }

  /** The hashed name a source asset is served under. */
  public Optional<String> hashedName(String sourceName) {
    return Optional.ofNullable(hashedNames.get(sourceName));
  }

  /** The bytes served under a hashed asset name. */
  public Optional<byte[]> asset(String hashedName) {
    return Optional.ofNullable(assets.get(hashedName)).map(a -> a.body().clone());
  }

  /** The rendered page. */
  public byte[] page() {
    return page.clone();
  }

  private void register(JavalinConfig javalin) {
    javalin.routes.get("/", this::servePage);
    javalin.routes.get("/index.html", this::servePage);
    javalin.routes.get("/assets/{name}", this::serveAsset);
    javalin.routes.head("/", this::servePage);
    javalin.routes.head("/assets/{name}", this::serveAsset);
  }

  private void servePage(Context ctx) {
    ctx.header("Content-Security-Policy", pageCsp);
    ctx.header("Cache-Control", PAGE_CACHE);
    ctx.header("ETag", pageEtag);
    String ifNoneMatch = ctx.header("If-None-Match");
    if (ifNoneMatch != null && List.of(ifNoneMatch.split("\\s*,\\s*")).contains(pageEtag)) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType("text/html; charset=utf-8").result(page);
  }

  private void serveAsset(Context ctx) {
    String name = ctx.pathParam("name");
    Asset asset = assets.get(name);
    if (asset == null) {
      String shown = name.length() > 60 ? name.substring(0, 60) + "..." : name;
      throw new ApiException(ApiError.of(404, "not_found", "no asset named '" + shown + "'"));
    }
    ctx.header("Cache-Control", IMMUTABLE);
    ctx.status(200).contentType(asset.contentType()).result(asset.body());
  }

  // ------------------------------------------------------------------ loading

  private static String pageConfig(ServerConfig config) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode n = mapper.createObjectNode();
    if (config.firebase().isPresent()) {
      ServerConfig.Firebase firebase = config.firebase().get();
      n.put("identity", "firebase");
      if (firebase.webSignIn().isPresent()) {
        ObjectNode f = n.putObject("firebase");
        f.put("apiKey", firebase.webSignIn().get().apiKey());
        f.put("authDomain", firebase.webSignIn().get().authDomain());
        f.put("projectId", firebase.projectId());
        n.put("firebaseSdk", FIREBASE_SDK);
      } else {
        n.putNull("firebase");
      }
    } else {
      n.put("identity", "development");
      n.put("developmentUser", Authenticator.DEVELOPMENT_UID);
    }
    try {
      // Inside <script type="application/json">: "<" must not be able to close the element.
      return mapper.writeValueAsString(n).replace("<", "\\u003c");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String rewrite(String text, Map<String, String> hashed, String where) {
    Matcher m = ASSET_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String target = hashed.get(m.group(1));
      if (target == null) {
        throw new IllegalStateException(
            where
                + " references /assets/"
                + m.group(1)
                + ", which is not a file in the assets folder");
      }
      m.appendReplacement(out, Matcher.quoteReplacement("/assets/" + target));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static String hashedName(String name, byte[] body) {
    int dot = name.lastIndexOf('.');
    return name.substring(0, dot)
        + "."
        + sha256Hex(body).substring(0, HASH_HEX_DIGITS)
        + name.substring(dot);
  }

  private static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = CONTENT_TYPES.get(extension);
    if (type == null) {
      throw new IllegalStateException(
          "the web asset "
              + name
              + " has an extension the server has no content type for; "
              + "known: "
              + new TreeMap<>(CONTENT_TYPES).keySet());
    }
    return type;
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(
          "the web resource " + resource + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** The files directly in a classpath folder, from a directory or a jar; sorted by name. */
  private static Map<String, byte[]> listAssets(ClassLoader loader, String folder) {
    URL url = loader.getResource(folder);
    Map<String, byte[]> files = new TreeMap<>();
    if (url == null) {
      return files;
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        boolean opened = false;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
          opened = true;
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        try {
          readFolder(fs.provider().getPath(uri), files);
        } finally {
          if (opened) {
            fs.close();
          }
        }
      } else {
        readFolder(Path.of(uri), files);
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(
          "the web assets in " + url + " cannot be listed: " + e.getMessage(), e);
    }
    return files;
  }

  private static void readFolder(Path folder, Map<String, byte[]> files) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!Files.isRegularFile(p)) {
          continue; // one flat folder; nested folders are not served
        }
        String name = p.getFileName().toString().replace("/", "");
        if (!SOURCE_NAME.matcher(name).matches()) {
          throw new IllegalStateException(
              "the web asset name '"
                  + name
                  + "' must be letters, digits, '-', '_' and dots"
                  + " with an extension");
        }
        files.put(name, Files.readAllBytes(p));
      }
    }
  }

  static String sha256Hex(byte[] bytes) {
    return Hashing.sha256Hex(bytes);
  }
}
