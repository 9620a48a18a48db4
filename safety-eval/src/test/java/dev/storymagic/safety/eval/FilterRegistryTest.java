package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterRegistryTest {

  /**
   * Listed in the test resources' safety-filters.properties, as a filter module would list its own.
   */
  public static final class BlocksEverything {
    static final SafetyPolicy POLICY = SafetyPolicy.builder().version("test-policy").build();

    private BlocksEverything() {}

    public static SafetyFilter create() {
      return (text, stage) ->
          new SafetyAssessment(
              List.of(
                  SafetyFinding.of(
                      SafetyCategory.HATE, Severity.HIGH, SafetyFinding.DECISIVE, -1, -1, "test")));
    }

    public static SafetyPolicy policy() {
      return POLICY;
    }
  }

  @Test
  void findsTheBuiltInProvidersThroughTheServiceLoader() {
    FilterRegistry r = FilterRegistry.load();
    assertThat(r.all()).containsKeys("local", "none");
    assertThat(r.get("local").create()).isInstanceOf(LocalSafetyClassifier.class);
    assertThat(r.get("local").policy()).isSameAs(SafetyPolicy.defaults());
  }

  @Test
  void findsFiltersListedInAPropertiesResourceWithTheirPolicy() {
    SafetyFilterProvider p = FilterRegistry.load().get("test-blocks-everything");
    assertThat(p.policy()).isSameAs(BlocksEverything.POLICY);
    SafetyVerdict v =
        p.create()
            .check("anything", new SafetyContext(SafetyStage.INPUT, AgeGroup.AGES_3_5, p.policy()));
    assertThat(v.blocked()).isTrue();
    assertThat(v.policyVersion()).isEqualTo("test-policy");
  }

  @Test
  void aListedClassWithoutAFactoryOrNotOnTheClassPathIsAClearError(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve(FilterRegistry.RESOURCE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "no-factory=java.lang.String\nmissing=com.example.Nowhere\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      FilterRegistry r = FilterRegistry.load(loader);
      assertThatThrownBy(() -> r.get("no-factory").create())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("java.lang.String (listed as 'no-factory' in ")
          .hasMessageEndingWith(") has no public static SafetyFilter create()");
      assertThat(r.get("no-factory").policy()).isSameAs(SafetyPolicy.defaults());
      assertThatThrownBy(() -> r.get("missing").create())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("names com.example.Nowhere")
          .hasMessageEndingWith(", which is not on the class path");
    }
  }

  @Test
  void twoFiltersWithOneNameAreAnError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(FilterRegistry.RESOURCE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "local=java.lang.String\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> FilterRegistry.load(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "two safety filters are named 'local': dev.storymagic.safety.eval.internal.LocalFilterProvider and java.lang.String");
    }
  }

  @Test
  void anUnknownNameListsTheAvailableOnes() {
    assertThatThrownBy(() -> FilterRegistry.load().get("layered"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "no safety filter named 'layered' on the class path; available: local, none, test-blocks-everything");
  }
}
