package dev.storymagic.safety.eval;

import static java.util.Objects.requireNonNull;

import dev.storymagic.SafetyCategory;
import dev.storymagic.spi.SafetyStage;
import java.util.Set;

/**
 * One row of the labelled data: a text, the categories it belongs to (none = benign), the stage it
 * is checked at and where it comes from.
 *
 * @param id stable id, unique across splits
 * @param text the text a filter checks
 * @param labels the harm categories; empty when the text is benign
 * @param stage input (user text) or output (story text)
 * @param source {@code <dataset>/<subset>}, such as {@code "davidson/hate"}
 * @param split train, validation or test
 */
public record LabelledText(
    String id,
    String text,
    Set<SafetyCategory> labels,
    SafetyStage stage,
    String source,
    String split) {
  public LabelledText {
    requireNonNull(id, "id");
    requireNonNull(text, "text");
    labels = Set.copyOf(requireNonNull(labels, "labels"));
    requireNonNull(stage, "stage");
    requireNonNull(source, "source");
    requireNonNull(split, "split");
  }

  public boolean harmful() {
    return !labels.isEmpty();
  }

  /**
   * The first segment of {@link #source()}, such as {@code "davidson"} or {@code
   * "storymagic-offline"}.
   */
  public String sourceFamily() {
    int slash = source.indexOf('/');
    return slash < 0 ? source : source.substring(0, slash);
  }
}
