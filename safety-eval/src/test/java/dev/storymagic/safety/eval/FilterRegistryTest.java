package dev.storymagic.safety.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.LocalSafetyClassifier;
import org.junit.jupiter.api.Test;

class FilterRegistryTest {

  @Test
  void findsTheBuiltInProvidersThroughTheServiceLoader() {
    FilterRegistry r = FilterRegistry.load();
    assertThat(r.all()).containsKeys("local", "none");
    assertThat(r.get("local").create()).isInstanceOf(LocalSafetyClassifier.class);
  }

  @Test
  void anUnknownNameListsTheAvailableOnes() {
    assertThatThrownBy(() -> FilterRegistry.load().get("layered")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no safety filter named 'layered' on the class path; available: local, none");
  }
}
