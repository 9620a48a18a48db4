package dev.storymagic.safety.eval.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storymagic.AgeGroup;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.Prompt;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes stories of StoryMagic's own offline engine as raw JSONL ({@code text}, {@code theme},
 * {@code age_group}, {@code length}, {@code seed}) for {@code data/prepare.py}: in-domain benign
 * stories, so the data holds what a children's story actually reads like. The stories come through
 * the public {@link OfflineStoryModel#generate} call, not through the pipeline, so no safety filter
 * has removed any of them first (a filter would bias the negatives towards what it already passes).
 *
 * <p>Deterministic: the same {@code count} and {@code seed} give the same file for the same engine
 * version ({@link OfflineStoryModel#ID}).
 *
 * <p>Usage: {@code OfflineStories <out.jsonl> [count, default 900] [seed, default 20261130]}
 */
public final class OfflineStories {
  private static final List<String[]> CHARACTERS =
      List.of(
          new String[] {"Mia", "a curious girl who loves stars"},
          new String[] {"Leo", "a brave boy with a red scarf"},
          new String[] {"Pip", "a small grey mouse who is good at knots"},
          new String[] {"Zara", "a clever girl who builds robots"},
          new String[] {"Bruno", "a big gentle bear who likes honey"},
          new String[] {"Noor", "a kind girl who is afraid of the dark"},
          new String[] {"Tomas", "a boy who asks a lot of questions"},
          new String[] {"Kiki", "a parrot who repeats everything"},
          new String[] {"Ada", "a grandmother who tells jokes"},
          new String[] {"Finn", "a shy fox with a bushy tail"});
  private static final List<String> MORALS =
      List.of(
          "", "sharing", "honesty", "being brave", "patience", "helping others", "saying sorry");

  private OfflineStories() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: OfflineStories <out.jsonl> [count] [seed]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 900;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261130L;
    if (count < 1 || count > 100_000) {
      throw new IllegalArgumentException("count must be within 1..100000: " + count);
    }
    write(out, count, seed);
  }

  static void write(Path out, int count, long seed) throws IOException {
    OfflineStoryModel model = OfflineStoryModel.create();
    List<Theme> themes = ThemeCatalog.defaults().all();
    AgeGroup[] ages = AgeGroup.values();
    StoryLength[] lengths = StoryLength.values();
    ObjectMapper json = new ObjectMapper();
    SplittableRandom random = new SplittableRandom(seed);
    Prompt prompt = new Prompt(List.of(), "safety-eval");
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8))) {
      for (int i = 0; i < count; i++) {
        // Every theme and age group in turn, so each is equally represented.
        Theme theme = themes.get(i % themes.size());
        AgeGroup age = ages[(i / themes.size()) % ages.length];
        StoryLength length = lengths[random.nextInt(lengths.length)];
        String[] hero = CHARACTERS.get(random.nextInt(CHARACTERS.size()));
        String moral = MORALS.get(random.nextInt(MORALS.size()));
        StoryRequest.Builder b =
            StoryRequest.builder()
                .theme(theme.id())
                .ageGroup(age)
                .length(length)
                .character(hero[0], hero[1]);
        if (!moral.isEmpty()) {
          b.moral(moral);
        }
        StoryRequest request = b.build();
        long storySeed = random.nextLong();
        ModelResponse r =
            model.generate(
                new ModelRequest(prompt, request, theme, length.band(age), storySeed, 1));
        ObjectNode row = json.createObjectNode();
        row.put("text", r.title() + "\n\n" + String.join("\n\n", r.paragraphs()));
        row.put("theme", theme.id());
        row.put("age_group", age.label());
        row.put("length", length.name().toLowerCase(java.util.Locale.ROOT));
        row.put("seed", storySeed);
        row.put("model", OfflineStoryModel.ID);
        w.write(json.writeValueAsString(row));
        w.write('\n');
      }
    }
  }
}
