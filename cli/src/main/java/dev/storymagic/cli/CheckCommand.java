package dev.storymagic.cli;

import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.cli.internal.Converters;
import dev.storymagic.cli.internal.ExitCodes;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code storymagic check}: the safety verdict StoryMagic would reach on a text. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check a text with StoryMagic's safety filters and print the verdict and every finding.",
      "The age group's thresholds apply: exits 0 when the text is allowed for it, 4 when a finding"
          + " blocks it."
    })
final class CheckCommand implements Callable<Integer> {
  /** The longest text checked: a long story is about 2,000 words. */
  static final int MAX_CHARS = 100_000;

  @Parameters(
      index = "0",
      paramLabel = "TEXT",
      description = "The text to check; - reads it from standard input.")
  String text;

  @Mixin AgeOption readers;

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      defaultValue = "input",
      converter = Converters.Stage.class,
      description = "input: text a user typed (default); output: a story a model wrote.")
  SafetyStage stage;

  @Mixin OutputOptions output;

  @Mixin ModelOptions model;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String checked = text.equals("-") ? readStandardInput() : text;
    if (checked.length() > MAX_CHARS) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "TEXT is " + checked.length() + " characters; at most " + MAX_CHARS + " are checked");
    }
    SafetyContext context = new SafetyContext(stage, readers.age, SafetyPolicy.defaults());
    List<SafetyFilter> filters = new ArrayList<>();
    filters.add(LocalSafetyClassifier.create());
    try (Sdk sdk =
        model.provider(ModelOptions.environment()).isPresent() ? Sdk.open(model) : null) {
      if (sdk != null) {
        sdk.moderation().ifPresent(filters::add);
      }
      SafetyVerdict verdict = SafetyVerdict.clean(context.policy().version());
      for (SafetyFilter f : filters) {
        verdict = verdict.merge(f.check(checked, context));
      }
      print(checked, verdict, filters);
      return verdict.allowed() ? ExitCodes.OK : ExitCodes.UNSAFE_TEXT;
    }
  }

  private void print(String checked, SafetyVerdict verdict, List<SafetyFilter> filters)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("allowed", verdict.allowed());
      m.put("ageGroup", readers.age.label());
      m.put("stage", stage.label());
      m.put("policy", verdict.policyVersion());
      m.put("filters", filters.stream().map(SafetyFilter::name).toList());
      m.put("findings", verdict.findings().stream().map(f -> finding(checked, f)).toList());
      out.println(OutputOptions.JSON.writeValueAsString(m));
    } else {
      out.println(
          (verdict.allowed() ? "allowed" : "blocked")
              + " for ages "
              + readers.age.label()
              + " ("
              + stage.label()
              + ", policy "
              + verdict.policyVersion()
              + ", filters "
              + String.join(", ", filters.stream().map(SafetyFilter::name).toList())
              + ")");
      for (SafetyFinding f : verdict.findings()) {
        out.printf(
            "  %-8s %-22s %-6s score %.2f  %s%s%n",
            f.blocking() ? "BLOCKS" : "note",
            f.category().label(),
            f.severity().name().toLowerCase(Locale.ROOT),
            f.score(),
            f.source(),
            f.hasSpan() ? "  \"" + checked.substring(f.start(), f.end()) + "\"" : "");
      }
    }
    out.flush();
  }

  private static Map<String, Object> finding(String checked, SafetyFinding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("category", f.category().label());
    m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
    m.put("score", f.score());
    m.put("blocking", f.blocking());
    m.put("source", f.source());
    if (f.hasSpan()) {
      m.put("start", f.start());
      m.put("end", f.end());
      m.put("match", checked.substring(f.start(), f.end()));
    }
    return m;
  }

  private static String readStandardInput() throws IOException {
    byte[] bytes = System.in.readNBytes(MAX_CHARS * 4 + 1);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
