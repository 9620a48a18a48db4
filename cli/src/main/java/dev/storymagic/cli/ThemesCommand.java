package dev.storymagic.cli;

import dev.storymagic.Theme;
import dev.storymagic.ThemeCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code storymagic themes}: the themes a story can have. */
@Command(
    name = "themes",
    mixinStandardHelpOptions = true,
    description = "List the themes a story can have: the ids that --theme accepts.")
final class ThemesCommand implements Callable<Integer> {
  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Theme> themes = ThemeCatalog.defaults().all();
    var out = spec.commandLine().getOut();
    if (output.json) {
      List<Map<String, String>> rows =
          themes.stream()
              .map(
                  t -> {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("id", t.id());
                    row.put("name", t.displayName());
                    row.put("description", t.description());
                    return row;
                  })
              .toList();
      out.println(OutputOptions.JSON.writeValueAsString(rows));
    } else {
      int width = themes.stream().mapToInt(t -> t.id().length()).max().orElse(0);
      for (Theme t : themes) {
        out.printf("%-" + width + "s  %s%n", t.id(), t.description());
      }
    }
    out.flush();
    return 0;
  }
}
