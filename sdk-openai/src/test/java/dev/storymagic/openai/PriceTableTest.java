package dev.storymagic.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.TokenUsage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  @Test
  void defaults_priceTheDocumentedModels() {
    assertThat(PriceTable.defaults().models())
        .containsExactlyInAnyOrder(
            "gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o4-mini");
  }

  @Test
  void cost_isPerMillionTokensExactly() {
    assertThat(PriceTable.defaults().cost("gpt-4o", new TokenUsage(1_000_000, 1_000_000)))
        .isEqualByComparingTo("12.50");
    assertThat(PriceTable.defaults().cost("gpt-4.1-nano", new TokenUsage(1, 1)))
        .isEqualByComparingTo("0.0000005");
  }

  @Test
  void find_datedSnapshot_usesTheLongestKnownPrefix() {
    assertThat(PriceTable.defaults().find("gpt-4o-mini-2024-07-18"))
        .contains(PriceTable.defaults().find("gpt-4o-mini").orElseThrow());
    assertThat(PriceTable.defaults().find("gpt-4o-2024-08-06"))
        .contains(PriceTable.defaults().find("gpt-4o").orElseThrow());
    assertThat(PriceTable.defaults().find("gpt-4omni")).as("only whole name parts count").isEmpty();
  }

  @Test
  void cost_unknownModel_isZero() {
    assertThat(PriceTable.defaults().cost("mistral-7b", new TokenUsage(500, 500)))
        .isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(PriceTable.empty().cost("gpt-4o", new TokenUsage(500, 500)))
        .isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void withPrice_replacesAndLeavesTheOriginalUnchanged() {
    PriceTable custom = PriceTable.defaults().withPrice("gpt-4o", "1", "1");
    assertThat(custom.cost("gpt-4o", new TokenUsage(1_000_000, 0))).isEqualByComparingTo("1");
    assertThat(PriceTable.defaults().cost("gpt-4o", new TokenUsage(1_000_000, 0)))
        .isEqualByComparingTo("2.50");
  }

  @Test
  void withPrice_negative_isRejected() {
    assertThatThrownBy(() -> PriceTable.empty().withPrice("m", "-1", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be negative");
    assertThatThrownBy(() -> PriceTable.empty().withPrice(" ", "1", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }
}
