package dev.storymagic.store.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), sent in full ({@code EVAL}, which also caches it
 * on the server) only when the server answers {@code NOSCRIPT}. Not API.
 */
public final class LuaScript {
  private final String source;
  private final String sha1;

  public LuaScript(String source) {
    this.source = source;
    try {
      this.sha1 =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1")
                      .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  public String sha1() {
    return sha1;
  }

  /**
   * Runs the script on the node owning {@code key}; Redis failures propagate as Jedis exceptions.
   */
  public Object run(UnifiedJedis jedis, String key, List<String> args) {
    List<String> keys = List.of(key);
    try {
      return jedis.evalsha(sha1, keys, args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(source, keys, args);
    }
  }
}
