package dev.storymagic.benchmarks.quality;

import dev.storymagic.AgeGroup;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.ThemeCatalog;
import dev.storymagic.internal.Readability;
import dev.storymagic.internal.offline.OfflineStoryEngine;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.Prompt;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The story-quality benchmark of the offline engine: generates the fixed {@link QualityGrid}
 * through the public API ({@code StoryMagic.builder().build()}, the default configuration) and
 * prints the figures as a markdown table. Not a JMH benchmark (it measures text, not time) and
 * deterministic: two runs on the same code print the same table.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.storymagic.benchmarks.quality.StoryQualityBenchmark
 * java -cp benchmarks/target/benchmarks.jar dev.storymagic.benchmarks.quality.StoryQualityBenchmark --seams
 * java -cp benchmarks/target/benchmarks.jar dev.storymagic.benchmarks.quality.StoryQualityBenchmark --examples
 * }</pre>
 *
 * {@code --seams} also lists every seam found; {@code --top} the sentences most widely shared
 * across stories and the most repeated trigrams, the first places to add variety; {@code
 * --examples} prints one story per age group.
 */
public final class StoryQualityBenchmark {
  /** Token counts at which distinct-n is compared. */
  static final int[] TOKEN_COUNTS = {10_000, 46_000};

  private record Generated(QualityGrid.Case c, Story story, List<String> sentences) {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    List<String> flags = List.of(args);
    try (StoryMagic magic = StoryMagic.builder().build()) {
      if (flags.contains("--examples")) {
        examples(magic, out);
        return;
      }
      run(magic, out, flags.contains("--seams"), flags.contains("--top"));
    }
  }

  private static void run(StoryMagic magic, PrintStream out, boolean listSeams, boolean top) {
    List<Generated> main = generate(magic, QualityGrid.main());
    List<Generated> odd = generate(magic, QualityGrid.odd());
    List<Generated> all = new ArrayList<>(main);
    all.addAll(odd);

    List<List<String>> allSentences = new ArrayList<>();
    List<List<String>> masked = new ArrayList<>();
    for (Generated g : all) {
      allSentences.add(g.sentences());
      masked.add(mask(g));
    }
    double shared = StoryMetrics.sharedSentenceShare(allSentences, 0.05);
    double sharedMasked = StoryMetrics.sharedSentenceShare(masked, 0.05);

    List<Double> repeats = new ArrayList<>();
    for (Generated g : main) {
      if (g.c().request().length() == StoryLength.LONG
          && g.c().request().ageGroup() != AgeGroup.AGES_3_5) {
        repeats.add(StoryMetrics.repeatedWithin(g.sentences()));
      }
    }

    StringBuilder corpus = new StringBuilder();
    for (Generated g : main) {
      corpus.append(g.story().text()).append('\n');
    }
    List<String> tokens = StoryMetrics.tokens(corpus.toString());

    int oddWithSeams = 0;
    int oddSeams = 0;
    int mainWithSeams = 0;
    List<String> seamList = new ArrayList<>();
    for (Generated g : all) {
      List<String> names = g.c().cast().stream().map(QualityGrid.Cast::name).toList();
      List<String> seams = Seams.find(g.story().title(), g.sentences(), names, g.c().pluralHero());
      boolean isOdd = odd.contains(g);
      if (!seams.isEmpty()) {
        if (isOdd) {
          oddWithSeams++;
          oddSeams += seams.size();
        } else {
          mainWithSeams++;
        }
        String who =
            String.join(", ", names)
                + " ("
                + g.c().request().theme()
                + " "
                + g.c().request().ageGroup().label()
                + " "
                + g.c().request().length()
                + ")";
        seams.forEach(s -> seamList.add(who + ": " + s));
      }
    }

    // input use, over the main grid's stories with inputs
    int withCast = 0;
    int allNames = 0;
    int withTrait = 0;
    int traitUsed = 0;
    int traitLate = 0;
    int withSetting = 0;
    int settingUsed = 0;
    int withMoral = 0;
    int moralNamed = 0;
    int moralActedFirst = 0;
    for (Generated g : main) {
      String text = g.story().text();
      QualityGrid.Case c = g.c();
      if (!c.cast().isEmpty()) {
        withCast++;
        if (c.cast().stream().allMatch(x -> text.contains(x.name()))) {
          allNames++;
        }
        for (QualityGrid.Cast x : c.cast()) {
          if (!x.traitStems().isEmpty()) {
            withTrait++;
            if (StoryMetrics.containsAny(text, x.traitStems(), 0)) {
              traitUsed++;
            }
            if (StoryMetrics.containsAny(text, x.traitStems(), (int) (text.length() * 0.6))) {
              traitLate++;
            }
          }
        }
      }
      if (c.settingNoun() != null) {
        withSetting++;
        if (text.toLowerCase(Locale.ROOT).contains(c.settingNoun())) {
          settingUsed++;
        }
      }
      if (!c.moralNames().isEmpty()) {
        withMoral++;
        int named = StoryMetrics.firstIndex(text, c.moralNames());
        int acted = StoryMetrics.firstIndex(text, c.moralActs());
        if (named >= 0) {
          moralNamed++;
        }
        if (named >= 0 && acted >= 0 && acted < named) {
          moralActedFirst++;
        }
      }
    }

    Map<AgeGroup, List<Double>> grades = new EnumMap<>(AgeGroup.class);
    int inBand = 0;
    for (Generated g : main) {
      grades
          .computeIfAbsent(g.c().request().ageGroup(), a -> new ArrayList<>())
          .add(Readability.fleschKincaidGrade(g.story().text()));
      if (g.story().quality().passed()) {
        inBand++;
      }
    }

    out.println("| figure | value |");
    out.println("|---|---|");
    out.printf(
        Locale.ROOT, "| stories (main grid + odd inputs) | %d + %d |%n", main.size(), odd.size());
    out.printf(
        Locale.ROOT,
        "| sentence occurrences whose text is in > 5 %% of stories (names masked) | %.1f %% (%.1f %%) |%n",
        100 * shared,
        100 * sharedMasked);
    out.printf(
        Locale.ROOT,
        "| repeated sentences inside one long 6-8 / 9-12 story, mean (max) | %.1f %% (%.1f %%) |%n",
        100 * mean(repeats),
        100 * StoryMetrics.quantile(repeats, 1));
    for (int count : TOKEN_COUNTS) {
      out.printf(
          Locale.ROOT,
          "| distinct-1 / -2 / -3 at %,d tokens (main grid, %,d tokens in all) | %.3f / %.3f / %.3f |%n",
          count,
          tokens.size(),
          StoryMetrics.distinctN(tokens, 1, count),
          StoryMetrics.distinctN(tokens, 2, count),
          StoryMetrics.distinctN(tokens, 3, count));
    }
    double[] jaccard = fiveSeeds();
    out.printf(
        Locale.ROOT,
        "| same request, five seeds: sentence overlap (Jaccard), range over 6 requests | %.2f-%.2f |%n",
        jaccard[0],
        jaccard[1]);
    out.printf(
        Locale.ROOT,
        "| odd inputs: stories with a seam (seams in all) | %d of %d (%d) |%n",
        oddWithSeams,
        odd.size(),
        oddSeams);
    out.printf(
        Locale.ROOT, "| main grid: stories with a seam | %d of %d |%n", mainWithSeams, main.size());
    out.printf(Locale.ROOT, "| every character named | %d of %d |%n", allNames, withCast);
    out.printf(
        Locale.ROOT,
        "| description's trait in the story / in its last 40 %% | %d / %d of %d |%n",
        traitUsed,
        traitLate,
        withTrait);
    out.printf(Locale.ROOT, "| setting named | %d of %d |%n", settingUsed, withSetting);
    out.printf(
        Locale.ROOT,
        "| moral named / acted out before it is named | %d / %d of %d |%n",
        moralNamed,
        moralActedFirst,
        withMoral);
    for (AgeGroup age : AgeGroup.values()) {
      List<Double> g = grades.get(age);
      out.printf(
          Locale.ROOT,
          "| reading grade, ages %s (band %.1f-%.1f): median (p10-p90) | %.1f (%.1f-%.1f) |%n",
          age.label(),
          age.minReadingGrade(),
          age.maxReadingGrade(),
          StoryMetrics.quantile(g, 0.5),
          StoryMetrics.quantile(g, 0.1),
          StoryMetrics.quantile(g, 0.9));
    }
    out.printf(
        Locale.ROOT,
        "| stories passing the quality report (word band, grade, title) | %d of %d |%n",
        inBand,
        main.size());
    out.println("| other languages | " + languages(magic) + " |");
    if (listSeams) {
      out.println();
      seamList.forEach(s -> out.println("- " + s));
    }
    if (top) {
      out.println();
      top(allSentences, tokens.subList(0, Math.min(tokens.size(), TOKEN_COUNTS[1])), out);
    }
  }

  /**
   * The 40 sentences in most stories and the 40 most frequent trigrams of the distinct-n window.
   */
  private static void top(List<List<String>> stories, List<String> window, PrintStream out) {
    Map<String, Integer> storiesWith = new java.util.HashMap<>();
    for (List<String> story : stories) {
      for (String s : new java.util.HashSet<>(story)) {
        storiesWith.merge(s, 1, Integer::sum);
      }
    }
    storiesWith.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(40)
        .forEach(e -> out.printf(Locale.ROOT, "- %d stories: %s%n", e.getValue(), e.getKey()));
    Map<String, Integer> trigrams = new java.util.HashMap<>();
    for (int i = 0; i + 3 <= window.size(); i++) {
      trigrams.merge(String.join(" ", window.subList(i, i + 3)), 1, Integer::sum);
    }
    out.println();
    trigrams.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(40)
        .forEach(e -> out.printf(Locale.ROOT, "- %d x %s%n", e.getValue(), e.getKey()));
  }

  private static List<Generated> generate(StoryMagic magic, List<QualityGrid.Case> cases) {
    List<Generated> out = new ArrayList<>();
    for (QualityGrid.Case c : cases) {
      Story story = magic.generate(c.request());
      out.add(new Generated(c, story, sentences(story.paragraphs())));
    }
    return out;
  }

  private static List<String> sentences(List<String> paragraphs) {
    List<String> out = new ArrayList<>();
    for (String p : paragraphs) {
      out.addAll(OfflineStoryEngine.sentences(p));
    }
    return out;
  }

  /**
   * The sentences with every capitalised word that is not a sentence's first word replaced, and the
   * names.
   */
  private static List<String> mask(Generated g) {
    List<String> out = new ArrayList<>();
    for (String s : g.sentences()) {
      String m = s;
      for (QualityGrid.Cast c : g.c().cast()) {
        m = m.replace(c.name(), "NAME");
      }
      out.add(m.replaceAll("(?<=\\S )\\p{Lu}\\p{L}+", "NAME"));
    }
    return out;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /** The lowest and highest mean pairwise Jaccard over five seeds, for six requests. */
  private static double[] fiveSeeds() {
    OfflineStoryModel model = OfflineStoryModel.create();
    Prompt prompt =
        new Prompt(List.of(new ChatMessage(ChatMessage.Role.SYSTEM, "offline")), "benchmark");
    double lo = 1;
    double hi = 0;
    for (AgeGroup age : AgeGroup.values()) {
      for (boolean inputs : new boolean[] {true, false}) {
        StoryRequest.Builder b =
            StoryRequest.builder().theme("space").ageGroup(age).length(StoryLength.MEDIUM);
        if (inputs) {
          b.character("Mia", "a curious girl who loves stars")
              .setting("a lighthouse by the sea")
              .moral("sharing");
        }
        StoryRequest r = b.build();
        List<List<String>> stories = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
          ModelResponse resp =
              model.generate(
                  new ModelRequest(
                      prompt,
                      r,
                      ThemeCatalog.defaults().find("space").orElseThrow(),
                      r.length().band(age),
                      seed,
                      1));
          stories.add(sentences(resp.paragraphs()));
        }
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < stories.size(); i++) {
          for (int j = i + 1; j < stories.size(); j++) {
            sum += StoryMetrics.jaccard(stories.get(i), stories.get(j));
            pairs++;
          }
        }
        lo = Math.min(lo, sum / pairs);
        hi = Math.max(hi, sum / pairs);
      }
    }
    return new double[] {lo, hi};
  }

  /** What each language tag gets: a story (the same as "en" or not), or an error. */
  private static String languages(StoryMagic magic) {
    List<String> parts = new ArrayList<>();
    String english = null;
    for (StoryRequest r : QualityGrid.languages()) {
      try {
        String text = magic.generate(r).text();
        if (english == null) {
          english = text;
          parts.add(r.language() + ": story");
        } else {
          parts.add(
              r.language()
                  + ": "
                  + (text.equals(english) ? "same story as en" : "another English story"));
        }
      } catch (StoryMagicException e) {
        parts.add(r.language() + ": " + e.getClass().getSimpleName());
      }
    }
    return String.join("; ", parts);
  }

  private static void examples(StoryMagic magic, PrintStream out) {
    List<StoryRequest> requests =
        List.of(
            StoryRequest.builder()
                .theme("animals")
                .ageGroup(AgeGroup.AGES_3_5)
                .length(StoryLength.SHORT)
                .character("Pip", "a little rabbit who loves carrots")
                .moral("sharing")
                .build(),
            StoryRequest.builder()
                .theme("space")
                .ageGroup(AgeGroup.AGES_6_8)
                .length(StoryLength.MEDIUM)
                .character("Mia", "a curious girl who loves stars")
                .character("Leo", "a boy who plays the drums")
                .setting("Grandma's garden")
                .moral("always tell the truth")
                .build(),
            StoryRequest.builder()
                .theme("ocean")
                .ageGroup(AgeGroup.AGES_9_12)
                .length(StoryLength.LONG)
                .character("Zara", "a clever inventor who builds machines")
                .character("The Twins", "two sisters who love to climb")
                .moral("never give up")
                .build());
    for (StoryRequest r : requests) {
      Story s = magic.generate(r);
      out.printf(
          Locale.ROOT,
          "### Ages %s, %s, theme %s (%d words, grade %.1f)%n%n",
          r.ageGroup().label(),
          r.length().name().toLowerCase(Locale.ROOT),
          r.theme(),
          s.wordCount(),
          s.quality().readingGrade());
      out.println(
          "Request: "
              + r.characters()
              + r.setting().map(x -> ", setting " + x).orElse("")
              + r.moral().map(x -> ", moral " + x).orElse(""));
      out.println();
      out.println("**" + s.title() + "**");
      out.println();
      s.paragraphs().forEach(p -> out.println(p + "\n"));
    }
  }
}
