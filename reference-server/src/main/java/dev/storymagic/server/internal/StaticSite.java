package dev.storymagic.server.internal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * Serves the web playground from the classpath folder {@code /web} at {@code /}: files under
 * {@code /web/assets} (content-hashed names) are cached for a year as immutable, everything else
 * (the HTML) is revalidated on every load. Nothing is served when the folder is absent.
 */
public final class StaticSite {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";

  private StaticSite() {}

  /** Installs the static handlers; returns whether a site was found. */
  public static boolean install(JavalinConfig config) {
    ClassLoader loader = StaticSite.class.getClassLoader();
    if (loader.getResource("web") == null) {
      return false;
    }
    if (loader.getResource("web/assets") != null) {
      config.staticFiles.add(files -> {
        files.hostedPath = "/assets";
        files.directory = "/web/assets";
        files.location = Location.CLASSPATH;
        files.headers = Map.of("Cache-Control", IMMUTABLE);
      });
    }
    config.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/web";
      files.location = Location.CLASSPATH;
      files.headers = Map.of("Cache-Control", REVALIDATE);
    });
    return true;
  }
}
