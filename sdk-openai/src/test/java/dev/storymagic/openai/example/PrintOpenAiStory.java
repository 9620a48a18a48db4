package dev.storymagic.openai.example;

import dev.storymagic.AgeGroup;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import dev.storymagic.openai.OpenAiStoryModel;

/**
 * The README's example with an OpenAI-compatible model: build, generate, close, and let {@code
 * main} return. Run in its own JVM by {@code JvmExitAfterCloseTest}, which checks that nothing the
 * SDK started keeps that JVM alive after {@code close()}. Arguments: the base URL.
 */
public final class PrintOpenAiStory {
  private PrintOpenAiStory() {}

  public static void main(String[] args) {
    try (StoryMagic magic =
        StoryMagic.builder()
            .model(
                OpenAiStoryModel.builder()
                    .baseUrl(args[0])
                    .apiKey("sk-example-key")
                    .model("gpt-4o-mini")
                    .build())
            .build()) {
      Story story =
          magic.generate(
              StoryRequest.builder()
                  .theme("space")
                  .ageGroup(AgeGroup.AGES_6_8)
                  .character("Mia", "a curious girl who loves stars")
                  .moral("sharing")
                  .length(StoryLength.SHORT)
                  .build());
      System.out.println(story.title());
    }
    // Printed after close(): the test measures from here to the JVM's exit.
    System.out.println("closed-at-ms " + System.currentTimeMillis());
  }
}
