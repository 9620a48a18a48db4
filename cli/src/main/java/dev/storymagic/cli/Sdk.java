package dev.storymagic.cli;

import dev.storymagic.ResilienceSettings;
import dev.storymagic.StoryMagic;
import dev.storymagic.openai.OpenAiConnection;
import dev.storymagic.openai.OpenAiModerationFilter;
import dev.storymagic.openai.OpenAiStoryModel;
import dev.storymagic.server.ServerConfig;
import dev.storymagic.spi.OfflineStoryModel;
import java.time.Duration;
import java.util.Optional;

/**
 * One StoryMagic for one command, set up as the server sets it up from the same environment: the
 * OpenAI-compatible provider when configured (transport limits just above the attempt time limit,
 * moderation after the local classifier), otherwise the offline engine. No store, no Redis: a
 * command's stories are printed, not kept.
 */
final class Sdk implements AutoCloseable {
  private final StoryMagic magic;
  private final Optional<OpenAiStoryModel> model;
  private final Optional<OpenAiModerationFilter> moderation;

  private Sdk(
      StoryMagic magic,
      Optional<OpenAiStoryModel> model,
      Optional<OpenAiModerationFilter> moderation) {
    this.magic = magic;
    this.model = model;
    this.moderation = moderation;
  }

  static Sdk open(ModelOptions options) {
    ServerConfig config = ModelOptions.environment();
    Duration attempt = config.model().timeout();
    StoryMagic.Builder builder =
        StoryMagic.builder()
            .resilience(ResilienceSettings.builder().attemptTimeout(attempt).build());
    Optional<ServerConfig.OpenAi> provider = options.provider(config);
    if (provider.isEmpty()) {
      builder.model(
          config.model().offlineStreamPace().isZero()
              ? OfflineStoryModel.create()
              : OfflineStoryModel.withStreamPace(config.model().offlineStreamPace()));
      return new Sdk(builder.build(), Optional.empty(), Optional.empty());
    }
    ServerConfig.OpenAi openAi = provider.get();
    Duration call = attempt.plusSeconds(5);
    OpenAiConnection connection =
        OpenAiConnection.custom()
            .apiKey(openAi.apiKey())
            .baseUrl(openAi.baseUrl())
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(call)
            .build();
    OpenAiStoryModel model =
        OpenAiStoryModel.builder()
            .connection(connection)
            .model(openAi.model())
            .callTimeout(call)
            .build();
    builder.model(model);
    Optional<OpenAiModerationFilter> moderation = Optional.empty();
    if (openAi.moderation()) {
      moderation = Optional.of(OpenAiModerationFilter.create(model));
      builder.moderation(moderation.get());
    }
    return new Sdk(builder.build(), Optional.of(model), moderation);
  }

  StoryMagic magic() {
    return magic;
  }

  /** The remote moderation filter, when the provider is configured with moderation. */
  Optional<OpenAiModerationFilter> moderation() {
    return moderation;
  }

  @Override
  public void close() {
    magic.close();
    moderation.ifPresent(OpenAiModerationFilter::close);
    model.ifPresent(OpenAiStoryModel::close);
  }
}
