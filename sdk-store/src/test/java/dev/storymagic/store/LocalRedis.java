package dev.storymagic.store;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The local Redis the integration tests use (127.0.0.1:6379). It is shared: each test class uses
 * its own key prefix and deletes its keys (SCAN + DEL, never FLUSHALL), and pauses stay short.
 *
 * <p>Registered on a static field with {@code @RegisterExtension}, it closes the plugins it opened
 * ({@link #plugin}) after the test that opened them, or after the test class for those opened
 * before its first test, and then deletes the class's keys and disconnects.
 */
final class LocalRedis
    implements AutoCloseable, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  static final String HOST = System.getProperty("storymagic.test.redis.host", "127.0.0.1");
  static final int PORT = Integer.getInteger("storymagic.test.redis.port", 6379);

  /** The longest a test may pause the shared Redis. */
  static final Duration MAX_PAUSE = Duration.ofMillis(500);

  final String prefix = "smtest:" + UUID.randomUUID().toString().substring(0, 8) + ":";
  final RedisClient admin;
  private final List<RedisPlugin> classPlugins = new CopyOnWriteArrayList<>();
  private final List<RedisPlugin> testPlugins = new CopyOnWriteArrayList<>();
  private volatile boolean inTest;

  LocalRedis() {
    admin =
        RedisClient.builder()
            .hostAndPort(HOST, PORT)
            .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(3_000).build())
            .build();
    try {
      admin.ping();
    } catch (RuntimeException e) {
      admin.close();
      throw new IllegalStateException(
          "Redis must be running on "
              + HOST
              + ":"
              + PORT
              + " for the integration tests: "
              + e.getMessage(),
          e);
    }
  }

  RedisConfig.Builder config() {
    return RedisConfig.custom().host(HOST).port(PORT).keyPrefix(prefix);
  }

  /** A configuration of a Redis that never answers: a port nothing listens on. */
  RedisConfig.Builder unreachableConfig() {
    return RedisConfig.custom().host("127.0.0.1").port(unusedPort()).keyPrefix(prefix);
  }

  /** A plugin for {@code config}, closed by this extension (see the class documentation). */
  RedisPlugin plugin(RedisConfig config) {
    RedisPlugin plugin = RedisPlugin.create(config);
    (inTest ? testPlugins : classPlugins).add(plugin);
    return plugin;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    inTest = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    inTest = false;
    closeAll(testPlugins);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      closeAll(classPlugins);
    } finally {
      close();
    }
  }

  private static void closeAll(List<RedisPlugin> plugins) {
    plugins.forEach(RedisPlugin::close);
    plugins.clear();
  }

  /** Pauses every client's commands on the shared Redis for {@code pause} (at most 500 ms). */
  @SuppressWarnings("deprecation") // CLIENT PAUSE has no typed command in Jedis 8
  void pauseAll(Duration pause) {
    if (pause.compareTo(MAX_PAUSE) > 0) {
      throw new IllegalArgumentException("pauses of the shared Redis stay within " + MAX_PAUSE);
    }
    admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", Long.toString(pause.toMillis()), "ALL");
  }

  long deleteKeys() {
    long deleted = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams match = new ScanParams().match(prefix + "*").count(500);
    do {
      ScanResult<String> page = admin.scan(cursor, match);
      for (String key : page.getResult()) {
        deleted += admin.del(key);
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return deleted;
  }

  static int unusedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      deleteKeys();
    } finally {
      admin.close();
    }
  }
}
