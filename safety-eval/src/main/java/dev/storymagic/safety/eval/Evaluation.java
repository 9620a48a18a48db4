package dev.storymagic.safety.eval;

import dev.storymagic.AgeGroup;
import dev.storymagic.spi.SafetyStage;
import java.util.List;
import java.util.Map;

/**
 * What one filter scored on one selection of labelled texts, per age group.
 *
 * @param filter the provider's name, such as {@code "local"}
 * @param filterVersion {@link dev.storymagic.spi.SafetyFilter#version()}
 * @param policyVersion the policy the filter was scored under
 * @param selection what was scored: split, sources, stage, ids file
 * @param texts how many texts (each checked once per age group)
 * @param ages one result per age group scored
 * @param throughput the time spent inside {@code check}, over every age group
 */
public record Evaluation(
    String filter,
    String filterVersion,
    String policyVersion,
    String selection,
    int texts,
    List<AgeResult> ages,
    Throughput throughput) {
  public Evaluation {
    ages = List.copyOf(ages);
  }

  /**
   * The figures for one age group.
   *
   * @param age the audience the texts were checked for
   * @param binary any harm: labelled harmful vs blocked for any category
   * @param binaryByStage the same, for input and output texts separately
   * @param matchingRecall of the harmful texts, the share blocked with at least one reported
   *     category in the same {@link CategoryGroup} as one of its labels
   * @param categories per category group: {@code matched} counts a text as flagged only when the
   *     filter blocked it for that group; {@code caught} is the share of the group's texts blocked
   *     for any reason
   * @param benignBlocked per source family, the share of its benign texts that were blocked
   * @param harmfulCaught per source family, the share of its harmful texts that were blocked
   */
  public record AgeResult(
      AgeGroup age,
      Confusion binary,
      Map<SafetyStage, Confusion> binaryByStage,
      Rate matchingRecall,
      Map<CategoryGroup, CategoryResult> categories,
      Map<String, Rate> benignBlocked,
      Map<String, Rate> harmfulCaught) {
    public AgeResult {
      binaryByStage = Map.copyOf(binaryByStage);
      categories = Map.copyOf(categories);
      benignBlocked = Map.copyOf(benignBlocked);
      harmfulCaught = Map.copyOf(harmfulCaught);
    }
  }

  /** One category group's figures. */
  public record CategoryResult(Confusion matched, Rate caught) {}

  /**
   * Time inside {@code SafetyFilter.check}, summed over calls (so the figure is per thread whatever
   * {@code --threads} was). Indicative only: StoryMagic's latency figures come from JMH.
   */
  public record Throughput(long chars, long checks, long nanos) {
    public double charsPerSecond() {
      return nanos == 0 ? Double.NaN : chars * 1e9 / nanos;
    }

    public double checksPerSecond() {
      return nanos == 0 ? Double.NaN : checks * 1e9 / nanos;
    }
  }
}
