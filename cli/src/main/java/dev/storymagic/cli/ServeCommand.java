package dev.storymagic.cli;

import dev.storymagic.server.ServerConfig;
import dev.storymagic.server.StoryMagicServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storymagic serve}: the reference server, configured from the environment as in its
 * container.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the StoryMagic HTTP service (the reference server) until stopped with Ctrl-C or SIGTERM.",
      "It reads its configuration from the environment: PORT, DATABASE_*, REDIS_*, OPENAI_*, FIREBASE_*, ...",
      "(see reference-server/README.md). With none set it runs on embedded defaults on port 3000."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Listen on this port instead of PORT (0 picks a free one).")
  Integer port;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ModelOptions.environment();
    if (port != null) {
      try {
        config = config.withPort(port);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    StoryMagicServer server = StoryMagicServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close(); // graceful: in-flight generations get SHUTDOWN_GRACE_SECONDS
                  stopped.countDown();
                },
                "shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "StoryMagic listening on http://"
            + ("0.0.0.0".equals(config.http().host()) ? "localhost" : config.http().host())
            + ":"
            + server.port());
    out.flush();
    stopped.await();
    return 0;
  }
}
