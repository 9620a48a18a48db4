package dev.storymagic.cli;

import dev.storymagic.cli.internal.ConfigurationException;
import dev.storymagic.server.ServerConfig;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which model and moderation to use: shared by {@code generate} and {@code check} through
 * {@code @Mixin}.
 */
public final class ModelOptions {
  @Option(
      names = "--offline",
      description =
          "Use the offline story engine and local safety checks even when OPENAI_API_KEY is set.")
  boolean offline;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "The provider's chat model (default: OPENAI_MODEL, else gpt-4o-mini).")
  String model;

  /**
   * The server's configuration read from the environment, exactly as {@code storymagic serve} reads
   * it.
   */
  static ServerConfig environment() {
    try {
      return ServerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage(), e);
    }
  }

  /** The OpenAI-compatible provider to use, if any. */
  Optional<ServerConfig.OpenAi> provider(ServerConfig config) {
    if (offline) {
      return Optional.empty();
    }
    return config
        .openAi()
        .map(
            o ->
                model == null
                    ? o
                    : new ServerConfig.OpenAi(
                        o.apiKey(), o.baseUrl(), model, o.moderation(), o.http2PriorKnowledge()));
  }
}
