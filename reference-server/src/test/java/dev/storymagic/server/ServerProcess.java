package dev.storymagic.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a real child process (the test classpath, {@code StoryMagicServer.main}), so
 * signals, shutdown hooks and process exit are the real ones. Its output is drained on a thread and
 * counted; the first lines are kept for failure messages.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("StoryMagic listening on port (\\d+)");
  private static final int KEPT_LINES = 400;

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong warnLines = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final List<String> kept = new ArrayList<>();

  private ServerProcess(Process process) {
    this.process = process;
    Thread drain = new Thread(this::drain, "server-process-output");
    drain.setDaemon(true);
    drain.start();
  }

  static ServerProcess start(Map<String, String> env) throws IOException {
    // C1 only: these servers live for seconds to minutes, and start twice as fast on a busy
    // machine.
    return start(
        env,
        List.of(
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            StoryMagicServer.class.getName()));
  }

  /**
   * The container's memory and collector settings for a 2 GiB task ({@code JAVA_TOOL_OPTIONS} in
   * the image: 25 % of it initially, 75 % at most, G1 with a 20 ms pause goal, survivors promoted
   * after one young collection).
   */
  private static final List<String> CONTAINER_JVM_OPTIONS =
      List.of(
          "-Xms512m",
          "-Xmx1536m",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:MaxTenuringThreshold=1",
          "-XX:+ExitOnOutOfMemoryError");

  /**
   * The packaged server ({@code target/storymagic-server.jar}, built by {@code package} before the
   * integration tests run) on this JVM with the container's memory and collector settings and full
   * tiered compilation, as deployed. {@code -Dload.serverJvmOptions="..."} adds JVM options after
   * those (space-separated), for a run that logs or tries something on the server's JVM.
   */
  static ServerProcess startPackaged(Map<String, String> env) throws IOException {
    return startPackaged(env, List.of());
  }

  /** As {@link #startPackaged(Map)}, with {@code jvmOptions} (an ahead-of-time cache) too. */
  static ServerProcess startPackaged(Map<String, String> env, List<String> jvmOptions)
      throws IOException {
    List<String> arguments = new ArrayList<>(CONTAINER_JVM_OPTIONS);
    arguments.addAll(jvmOptions);
    String extra = System.getProperty("load.serverJvmOptions", "").strip();
    if (!extra.isEmpty()) {
      arguments.addAll(List.of(extra.split("\\s+")));
    }
    arguments.addAll(List.of("-jar", packagedJar().toString()));
    return start(env, arguments);
  }

  /**
   * Records the packaged server's ahead-of-time cache (Java 25 and later) into {@code cache} as the
   * image's is recorded ({@code image/add-aot-cache.sh}): a training run of the jar ({@code
   * --aot-training}) with the container's settings and a placeholder key. Returns the JVM options
   * that start a server with it, under {@code -XX:AOTMode=on}, which refuses a cache that does not
   * fit rather than starting without it.
   */
  static List<String> recordAotCache(Path cache, Duration timeout) throws Exception {
    Files.createDirectories(cache.toAbsolutePath().getParent());
    Files.deleteIfExists(cache);
    List<String> arguments = new ArrayList<>(CONTAINER_JVM_OPTIONS);
    arguments.add("-XX:AOTCacheOutput=" + cache);
    arguments.addAll(List.of("-jar", packagedJar().toString(), "--aot-training"));
    ServerProcess training =
        start(Map.of("OPENAI_API_KEY", "sk-aot-training-placeholder"), arguments);
    try {
      if (!training.awaitExit(timeout)) {
        throw new IllegalStateException(
            "the training run did not end within " + timeout + ":\n" + training.output());
      }
      if (training.process.exitValue() != 0 || !Files.isRegularFile(cache)) {
        throw new IllegalStateException(
            "the training run exited "
                + training.process.exitValue()
                + " without a cache at "
                + cache
                + ":\n"
                + training.output());
      }
    } finally {
      training.close();
    }
    return List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on");
  }

  private static Path packagedJar() {
    Path jar = Path.of("target", "storymagic-server.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: run the integration tests through `mvn verify`");
    }
    return jar;
  }

  private static ServerProcess start(Map<String, String> env, List<String> arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    return new ServerProcess(pb.start());
  }

  private void drain() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.incrementAndGet();
        bytes.addAndGet(line.length() + 1);
        if (line.contains(" WARN ") || line.contains("\"level\":\"WARN\"")) {
          warnLines.incrementAndGet();
        }
        synchronized (kept) {
          if (kept.size() < KEPT_LINES) {
            kept.add(line);
          }
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    port.completeExceptionally(
        new IllegalStateException("the server exited before listening:\n" + output()));
  }

  /** Waits until the server listens and returns its port. */
  int awaitPort(Duration timeout) throws Exception {
    try {
      return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the server was not listening after " + timeout + "; its output:\n" + output(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Sends SIGTERM, as ECS does when it stops a task. */
  void terminate() {
    process.destroy();
  }

  /** Sends SIGKILL. */
  void kill() {
    process.destroyForcibly();
  }

  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  long lines() {
    return lines.get();
  }

  long warnLines() {
    return warnLines.get();
  }

  long bytes() {
    return bytes.get();
  }

  String output() {
    synchronized (kept) {
      return String.join("\n", kept);
    }
  }

  /**
   * Stops the server as ECS does (SIGTERM, then SIGKILL after {@code grace}), so that its JVM exits
   * normally and writes what it writes at exit (an ahead-of-time cache's training data, a JFR
   * recording).
   */
  void stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
