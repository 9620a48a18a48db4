package dev.storymagic.openai;

import static java.util.Objects.requireNonNull;

import dev.storymagic.TokenUsage;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model's tokens cost, in US dollars per million tokens, for the estimated cost carried on
 * every {@link dev.storymagic.Story}. Immutable.
 *
 * <p>A model is looked up by its exact name first, then by the longest known name it starts with,
 * so a dated snapshot such as {@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}. A
 * model the table does not know costs zero (logged once at DEBUG).
 *
 * <p>The defaults are OpenAI's standard-tier list prices for uncached input and output tokens as
 * published in 2025; they change, so applications that report costs should keep their own table
 * with {@link #withPrice(String, String, String)}. Cached-input discounts are not modelled.
 */
public final class PriceTable {
  private static final Logger log = LoggerFactory.getLogger(PriceTable.class);
  private static final PriceTable EMPTY = new PriceTable(Map.of());
  private static final PriceTable DEFAULTS =
      EMPTY
          .withPrice("gpt-4o-mini", "0.15", "0.60")
          .withPrice("gpt-4o", "2.50", "10.00")
          .withPrice("gpt-4.1", "2.00", "8.00")
          .withPrice("gpt-4.1-mini", "0.40", "1.60")
          .withPrice("gpt-4.1-nano", "0.10", "0.40")
          .withPrice("o4-mini", "1.10", "4.40");

  /** Models already reported as unpriced, so the DEBUG line appears once per model and process. */
  private static final Set<String> REPORTED_UNKNOWN = ConcurrentHashMap.newKeySet();

  /**
   * The price of one model.
   *
   * @param inputUsdPerMillion dollars per million input (prompt) tokens, zero or more
   * @param outputUsdPerMillion dollars per million output (completion) tokens, zero or more
   */
  public record Price(BigDecimal inputUsdPerMillion, BigDecimal outputUsdPerMillion) {
    public Price {
      requireNonNull(inputUsdPerMillion, "inputUsdPerMillion");
      requireNonNull(outputUsdPerMillion, "outputUsdPerMillion");
      if (inputUsdPerMillion.signum() < 0 || outputUsdPerMillion.signum() < 0) {
        throw new IllegalArgumentException(
            "prices cannot be negative: " + inputUsdPerMillion + ", " + outputUsdPerMillion);
      }
    }

    /** The cost of {@code usage} at this price. */
    public BigDecimal cost(TokenUsage usage) {
      return inputUsdPerMillion
          .multiply(BigDecimal.valueOf(usage.inputTokens()))
          .add(outputUsdPerMillion.multiply(BigDecimal.valueOf(usage.outputTokens())))
          .movePointLeft(6);
    }
  }

  private final Map<String, Price> prices;

  private PriceTable(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /**
   * OpenAI's list prices for gpt-4o-mini, gpt-4o, gpt-4.1, gpt-4.1-mini, gpt-4.1-nano and o4-mini.
   */
  public static PriceTable defaults() {
    return DEFAULTS;
  }

  /** A table that prices nothing: every model costs zero. For local servers. */
  public static PriceTable empty() {
    return EMPTY;
  }

  /**
   * A copy of this table with {@code model} priced at {@code price}, replacing any earlier price.
   */
  public PriceTable withPrice(String model, Price price) {
    requireNonNull(model, "model");
    requireNonNull(price, "price");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model name cannot be blank");
    }
    Map<String, Price> copy = new LinkedHashMap<>(prices);
    copy.put(model, price);
    return new PriceTable(copy);
  }

  /**
   * A copy of this table with {@code model} priced in dollars per million tokens, given as decimal
   * strings such as {@code "0.15"} so no binary rounding creeps in.
   */
  public PriceTable withPrice(String model, String inputUsdPerMillion, String outputUsdPerMillion) {
    return withPrice(
        model,
        new Price(
            new BigDecimal(requireNonNull(inputUsdPerMillion, "inputUsdPerMillion")),
            new BigDecimal(requireNonNull(outputUsdPerMillion, "outputUsdPerMillion"))));
  }

  /** The price of {@code model}: exact name first, then the longest known name it starts with. */
  public Optional<Price> find(String model) {
    requireNonNull(model, "model");
    Price exact = prices.get(model);
    if (exact != null) {
      return Optional.of(exact);
    }
    return prices.keySet().stream()
        .filter(known -> model.startsWith(known + "-"))
        .max(Comparator.comparingInt(String::length))
        .map(prices::get);
  }

  /**
   * The estimated cost of {@code usage} on {@code model}; zero for a model this table does not
   * price.
   */
  public BigDecimal cost(String model, TokenUsage usage) {
    requireNonNull(usage, "usage");
    Optional<Price> price = find(model);
    if (price.isEmpty()) {
      if (REPORTED_UNKNOWN.add(model)) {
        log.debug("no price known for model '{}'; its cost is reported as zero", model);
      }
      return BigDecimal.ZERO;
    }
    return price.get().cost(usage);
  }

  /** The priced model names. */
  public Set<String> models() {
    return prices.keySet();
  }

  @Override
  public String toString() {
    return "PriceTable" + prices.keySet();
  }
}
