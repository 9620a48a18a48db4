package dev.storymagic.spi;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import java.util.Arrays;

/**
 * A picture or a recording just made for a story, before it is stored.
 *
 * @param kind cover, scene or narration
 * @param index the position among assets of its kind: 0 for the cover, 1.. for scenes, 0 for a
 *     whole-story narration or 1.. for paragraph narrations
 * @param type the file type
 * @param bytes the file's content (copied in and out)
 * @param altText a description for people who cannot see or hear it; never holds personal data
 * @param model the model or engine that made it, such as {@code "offline-svg"} or {@code
 *     "gpt-image-1"}
 * @param estimatedCostUsd what making it cost at the provider, zero offline
 */
@SuppressWarnings("ArrayRecordComponent") // the bytes are copied in and out
public record GeneratedAsset(
    AssetKind kind,
    int index,
    AssetType type,
    byte[] bytes,
    String altText,
    String model,
    java.math.BigDecimal estimatedCostUsd) {
  public GeneratedAsset {
    requireNonNull(kind, "kind");
    requireNonNull(type, "type");
    requireNonNull(altText, "altText");
    requireNonNull(model, "model");
    requireNonNull(estimatedCostUsd, "estimatedCostUsd");
    bytes = requireNonNull(bytes, "bytes").clone();
    if (bytes.length == 0) {
      throw new IllegalArgumentException("an asset cannot be empty");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index cannot be negative: " + index);
    }
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedAsset g
        && kind == g.kind
        && index == g.index
        && type == g.type
        && Arrays.equals(bytes, g.bytes)
        && altText.equals(g.altText)
        && model.equals(g.model)
        && estimatedCostUsd.compareTo(g.estimatedCostUsd) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + kind.hashCode() * 7 + index;
  }

  @Override
  public String toString() {
    return "GeneratedAsset["
        + kind.label()
        + " "
        + index
        + ", "
        + type.extension()
        + ", "
        + bytes.length
        + " bytes, model="
        + model
        + "]";
  }
}
