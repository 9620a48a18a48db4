package dev.storymagic.example;

import dev.storymagic.AgeGroup;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;

/** The README's usage example, compiled and run by the build so it cannot rot. */
public final class PrintStory {
  private PrintStory() {}

  public static void main(String[] args) {
    try (StoryMagic magic = StoryMagic.builder().build()) { // offline engine, in-process cache
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
      System.out.println();
      System.out.println(story.text());
      System.out.printf(
          "%n(%d words, reading grade %.1f, model %s)%n",
          story.wordCount(), story.quality().readingGrade(), story.model());
    }
  }
}
