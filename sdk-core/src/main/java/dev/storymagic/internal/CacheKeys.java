package dev.storymagic.internal;

import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryRequest;
import java.util.Locale;

/**
 * The canonical cache key: SHA-256 over the normalised request content, the model id, the template
 * version and the safety-policy version. Fields are length-prefixed, so no two different requests
 * can produce the same byte stream. Owner, idempotency key and {@code fresh} are not part of it.
 */
public final class CacheKeys {
  private CacheKeys() {}

  public static String of(
      StoryRequest r, String modelId, String templateVersion, String policyVersion) {
    StringBuilder s = new StringBuilder(256);
    field(s, "k1");
    field(s, modelId);
    field(s, templateVersion);
    field(s, policyVersion);
    field(s, r.theme());
    field(s, r.ageGroup().name());
    field(s, r.length().name());
    field(s, r.language().trim().toLowerCase(Locale.ROOT));
    field(s, Integer.toString(r.characters().size()));
    for (StoryCharacter c : r.characters()) {
      field(s, UserText.canonical(c.name()));
      field(s, UserText.canonical(c.description()));
    }
    field(s, r.setting().map(UserText::canonical).orElse(""));
    field(s, r.moral().map(UserText::canonical).orElse(""));
    field(s, r.idea().map(UserText::canonical).orElse(""));
    return Hashing.sha256Hex(s.toString());
  }

  /** The SHA-256 of {@code text} as lower-case hex. */
  public static String digest(String text) {
    return Hashing.sha256Hex(text);
  }

  /**
   * The seed of a request's story: SHA-256 over its content, model id and template version, but not
   * its language tag or safety policy, so "en" and "en-GB" (and a policy update) keep the same
   * story for a deterministic model, while the cache still keeps them apart.
   */
  public static long seed(StoryRequest r, String modelId, String templateVersion) {
    String content =
        of(
            r.language().equalsIgnoreCase("en") ? r : r.toBuilder().language("en").build(),
            modelId,
            templateVersion,
            "");
    return seedOf(content);
  }

  /** A seed derived from a key, so the same request gives the same offline story. */
  public static long seedOf(String key) {
    return Long.parseUnsignedLong(key.substring(0, 15), 16);
  }

  private static void field(StringBuilder s, String value) {
    s.append(value.length()).append(':').append(value).append(';');
  }
}
