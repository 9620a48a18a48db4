package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.SafetyCategory;
import dev.storymagic.spi.SafetyStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  @TempDir Path dir;

  private Path write(String split, String name, String... lines) throws IOException {
    Files.createDirectories(dir.resolve(split));
    return Files.write(dir.resolve(split).resolve(name), List.of(lines));
  }

  @Test
  void readsEveryFileOfTheSplit() throws IOException {
    write(
        "test",
        "a.jsonl",
        "{\"id\":\"a-1\",\"text\":\"hi\",\"labels\":[],\"stage\":\"input\",\"source\":\"x/y\",\"split\":\"test\"}",
        "");
    write(
        "test",
        "b.jsonl",
        "{\"id\":\"b-1\",\"text\":\"bad\",\"labels\":[\"hate\",\"violence/graphic\"],\"stage\":\"output\",\"source\":\"z\",\"split\":\"test\"}");
    write("test", "notes.txt", "not data");
    List<LabelledText> rows = Dataset.split(dir, "test");
    assertThat(rows).extracting(LabelledText::id).containsExactly("a-1", "b-1");
    assertThat(rows.get(0).harmful()).isFalse();
    assertThat(rows.get(0).stage()).isEqualTo(SafetyStage.INPUT);
    assertThat(rows.get(0).sourceFamily()).isEqualTo("x");
    assertThat(rows.get(1).labels())
        .containsExactlyInAnyOrder(SafetyCategory.HATE, SafetyCategory.VIOLENCE_GRAPHIC);
    assertThat(rows.get(1).sourceFamily()).isEqualTo("z");
  }

  @Test
  void aBadLineIsAnErrorNamingFileAndLine() throws IOException {
    Path f =
        write(
            "test",
            "a.jsonl",
            "{\"id\":\"a-1\",\"text\":\"hi\",\"labels\":[],\"stage\":\"input\",\"source\":\"x\",\"split\":\"test\"}",
            "{\"id\":\"a-2\",\"text\":\"hi\",\"labels\":[\"mean\"],\"stage\":\"input\",\"source\":\"x\",\"split\":\"test\"}");
    assertThatThrownBy(() -> Dataset.split(dir, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(f + ":2: unknown label 'mean'");
  }

  @Test
  void missingFieldsAndBadStagesAreErrors() throws IOException {
    write(
        "test",
        "a.jsonl",
        "{\"id\":\"a-1\",\"labels\":[],\"stage\":\"input\",\"source\":\"x\",\"split\":\"test\"}");
    assertThatThrownBy(() -> Dataset.split(dir, "test"))
        .hasMessageEndingWith(":1: missing field 'text'");
    write(
        "test",
        "a.jsonl",
        "{\"id\":\"a-1\",\"text\":\"t\",\"labels\":[],\"stage\":\"both\",\"source\":\"x\",\"split\":\"test\"}");
    assertThatThrownBy(() -> Dataset.split(dir, "test"))
        .hasMessageEndingWith(":1: stage must be input or output: 'both'");
  }

  @Test
  void aMissingSplitIsAnError() {
    assertThatThrownBy(() -> Dataset.split(dir, "validation"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no split 'validation' under");
  }

  @Test
  void sourcesAreSelectedByPrefix() {
    LabelledText a =
        new LabelledText(
            "1", "t", java.util.Set.of(), SafetyStage.OUTPUT, "storymagic-offline/3-5", "test");
    LabelledText b =
        new LabelledText(
            "2", "t", java.util.Set.of(), SafetyStage.OUTPUT, "gutenberg/grimm", "test");
    assertThat(
            List.of(a, b).stream()
                .filter(Dataset.sources(List.of(), List.of("storymagic-offline/"))))
        .containsExactly(b);
    assertThat(List.of(a, b).stream().filter(Dataset.sources(List.of("storymagic"), List.of())))
        .containsExactly(a);
  }

  @Test
  void aSliceWithAnIdThatIsNotInTheDataIsAnError() {
    LabelledText a =
        new LabelledText("1", "t", java.util.Set.of(), SafetyStage.OUTPUT, "s", "test");
    assertThat(Dataset.only(List.of(a), List.of("1"))).containsExactly(a);
    assertThatThrownBy(() -> Dataset.only(List.of(a), List.of("1", "gone")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 ids not found in the data, such as [gone]");
  }
}
