package dev.storymagic.cli;

import dev.storymagic.Story;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.cli.internal.Converters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storymagic generate}: one story, printed or streamed. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write a story and print it: the title, a blank line, then the paragraphs.",
      "With --stream each sentence is printed as soon as it passed the safety filter."
    })
final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--theme",
      required = true,
      paramLabel = "THEME",
      description =
          "What the story is about: an id from `storymagic themes`, such as space or ocean.")
  String theme;

  @Mixin AgeOption readers;

  @Option(
      names = "--character",
      paramLabel = "NAME[:DESCRIPTION]",
      converter = Converters.Character.class,
      description = "A character, such as \"Mia:a curious girl\"; up to 4.")
  List<StoryCharacter> characters = new ArrayList<>();

  @Option(
      names = "--length",
      paramLabel = "LENGTH",
      defaultValue = "short",
      converter = Converters.Length.class,
      description = "short, medium or long (default: ${DEFAULT-VALUE}).")
  StoryLength length;

  @Option(names = "--setting", paramLabel = "TEXT", description = "Where the story happens.")
  String setting;

  @Option(names = "--moral", paramLabel = "TEXT", description = "The lesson, such as sharing.")
  String moral;

  @Option(names = "--idea", paramLabel = "TEXT", description = "A free-text idea for the plot.")
  String idea;

  @Option(
      names = "--stream",
      description = "Print the story sentence by sentence as it is written.")
  boolean stream;

  @Mixin OutputOptions output;

  @Mixin ModelOptions model;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    StoryRequest request =
        StoryRequest.builder()
            .theme(theme)
            .ageGroup(readers.age)
            .length(length)
            .characters(characters)
            .setting(setting)
            .moral(moral)
            .idea(idea)
            .build();
    PrintWriter out = spec.commandLine().getOut();
    try (Sdk sdk = Sdk.open(model)) {
      if (!stream) {
        Story story = sdk.magic().generate(request);
        if (output.json) {
          out.println(OutputOptions.JSON.writeValueAsString(json(story)));
        } else {
          out.println(story.title());
          out.println();
          out.println(
              String.join(System.lineSeparator() + System.lineSeparator(), story.paragraphs()));
        }
        out.flush();
        return 0;
      }
      sdk.magic().stream(request, new Printer(out, output.json)).join();
      return 0;
    }
  }

  /** Prints streamed sentences as they come; the title is only known at the end. */
  private static final class Printer implements StoryListener {
    private final PrintWriter out;
    private final boolean json;
    private boolean first = true;

    Printer(PrintWriter out, boolean json) {
      this.out = out;
      this.json = json;
    }

    @Override
    public void onText(String text) {
      if (json) {
        line(Map.of("type", "text", "text", text));
      } else {
        out.print(first ? text : " " + text);
        out.flush();
      }
      first = false;
    }

    @Override
    public void onComplete(Story story) {
      if (json) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("type", "story");
        done.putAll(json(story));
        line(done);
      } else {
        out.println();
        out.println();
        out.println("-- " + story.title());
        out.flush();
      }
    }

    @Override
    public void onError(StoryMagicException error) {
      if (!first && !json) {
        out.println();
        out.flush();
      }
    }

    private void line(Map<String, Object> value) {
      try {
        out.println(OutputOptions.JSON.writeValueAsString(value));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.flush();
    }
  }

  static Map<String, Object> json(Story story) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", story.id());
    m.put("title", story.title());
    m.put("paragraphs", story.paragraphs());
    m.put("theme", story.request().theme());
    m.put("ageGroup", story.request().ageGroup().label());
    m.put("length", story.request().length().name().toLowerCase(Locale.ROOT));
    m.put("model", story.model());
    m.put("templateVersion", story.templateVersion());
    m.put("words", story.wordCount());
    m.put("readingGrade", Math.round(story.quality().readingGrade() * 10) / 10.0);
    m.put("cache", story.cacheTier().name().toLowerCase(Locale.ROOT));
    m.put("attempts", story.attempts());
    m.put("inputTokens", story.usage().inputTokens());
    m.put("outputTokens", story.usage().outputTokens());
    m.put("estimatedCostUsd", story.estimatedCostUsd());
    m.put("safetyPolicy", story.safety().policyVersion());
    return m;
  }
}
