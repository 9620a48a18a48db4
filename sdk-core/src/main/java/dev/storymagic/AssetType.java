package dev.storymagic;

import java.util.Locale;
import java.util.Optional;

/** The kinds of file a story asset can be, each with its file extension and HTTP content type. */
public enum AssetType {
  SVG("svg", "image/svg+xml"),
  WEBP("webp", "image/webp"),
  PNG("png", "image/png"),
  JPEG("jpg", "image/jpeg"),
  MP3("mp3", "audio/mpeg");

  private final String extension;
  private final String contentType;

  AssetType(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** The file extension without the dot, such as {@code "svg"}. */
  public String extension() {
    return extension;
  }

  /** The HTTP content type, such as {@code "image/svg+xml"}. */
  public String contentType() {
    return contentType;
  }

  /** Whether this is a picture (as opposed to audio). */
  public boolean isImage() {
    return this != MP3;
  }

  /** The type with this extension ({@code "svg"}, {@code "mp3"}; case-insensitive), if any. */
  public static Optional<AssetType> fromExtension(String extension) {
    if (extension == null) {
      return Optional.empty();
    }
    String e = extension.toLowerCase(Locale.ROOT);
    for (AssetType t : values()) {
      if (t.extension.equals(e)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
