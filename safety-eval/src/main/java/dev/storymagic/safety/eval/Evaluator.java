package dev.storymagic.safety.eval;

import static java.util.Objects.requireNonNull;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Scores a {@link SafetyFilter} on labelled texts through its public API only: each text is checked
 * with {@code check(text, new SafetyContext(stage, ageGroup, policy))} once per age group, and what
 * blocks ({@link SafetyVerdict#violationTypes()}) is compared with the labels.
 */
public final class Evaluator {
  /** Texts checked, untimed, before timing starts, so class loading and JIT do not count. */
  private static final int WARM_UP_TEXTS = 200;

  private final SafetyFilter filter;
  private final SafetyPolicy policy;
  private final int threads;

  /**
   * @param threads how many texts are checked at once, 1..64; the throughput figure stays per
   *     thread
   */
  public Evaluator(SafetyFilter filter, SafetyPolicy policy, int threads) {
    this.filter = requireNonNull(filter, "filter");
    this.policy = requireNonNull(policy, "policy");
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be within 1..64: " + threads);
    }
    this.threads = threads;
  }

  /** What the filter blocked for one text at one age group. */
  public record Prediction(
      LabelledText text, AgeGroup age, Set<SafetyCategory> blocked, long nanos) {}

  /**
   * Checks every text at every age in {@code ages}; the predictions come in text order, then age
   * order.
   */
  public List<Prediction> predict(List<LabelledText> texts, List<AgeGroup> ages) {
    for (int i = 0; i < Math.min(WARM_UP_TEXTS, texts.size()); i++) {
      LabelledText t = texts.get(i);
      filter.check(t.text(), new SafetyContext(t.stage(), AgeGroup.AGES_9_12, policy));
    }
    if (threads == 1) {
      List<Prediction> out = new ArrayList<>(texts.size() * ages.size());
      texts.forEach(t -> out.addAll(check(t, ages)));
      return out;
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(
              () -> texts.parallelStream().flatMap(t -> check(t, ages).stream()).toList())
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the filter failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Prediction> check(LabelledText t, List<AgeGroup> ages) {
    List<Prediction> out = new ArrayList<>(ages.size());
    for (AgeGroup age : ages) {
      SafetyContext context = new SafetyContext(t.stage(), age, policy);
      long start = System.nanoTime();
      SafetyVerdict v = filter.check(t.text(), context);
      long nanos = System.nanoTime() - start;
      out.add(new Prediction(t, age, v.violationTypes(), nanos));
    }
    return out;
  }

  /** Scores {@code texts} at every age in {@code ages}. */
  public Evaluation evaluate(
      String filterName, String selection, List<LabelledText> texts, List<AgeGroup> ages) {
    return score(
        filterName,
        filter.version(),
        policy.version(),
        selection,
        texts.size(),
        predict(texts, ages),
        ages);
  }

  /** The figures for predictions made elsewhere (by {@link #predict}). */
  public static Evaluation score(
      String filterName,
      String filterVersion,
      String policyVersion,
      String selection,
      int texts,
      List<Prediction> predictions,
      List<AgeGroup> ages) {
    List<Evaluation.AgeResult> results = new ArrayList<>();
    long chars = 0;
    long nanos = 0;
    for (Prediction p : predictions) {
      chars += p.text().text().length();
      nanos += p.nanos();
    }
    for (AgeGroup age : ages) {
      Confusion binary = Confusion.empty();
      Map<SafetyStage, Confusion> byStage = new EnumMap<>(SafetyStage.class);
      long harmful = 0;
      long matched = 0;
      Map<CategoryGroup, Confusion> cat = new EnumMap<>(CategoryGroup.class);
      Map<CategoryGroup, long[]> caught = new EnumMap<>(CategoryGroup.class);
      Map<String, long[]> benign = new TreeMap<>();
      Map<String, long[]> harm = new TreeMap<>();
      Set<CategoryGroup> present = EnumSet.noneOf(CategoryGroup.class);
      for (Prediction p : predictions) {
        if (p.age() != age) {
          continue;
        }
        Set<CategoryGroup> actual = CategoryGroup.of(p.text().labels());
        Set<CategoryGroup> reported = CategoryGroup.of(p.blocked());
        present.addAll(actual);
        present.addAll(reported);
      }
      for (CategoryGroup g : present) {
        cat.put(g, Confusion.empty());
        caught.put(g, new long[2]);
      }
      for (Prediction p : predictions) {
        if (p.age() != age) {
          continue;
        }
        LabelledText t = p.text();
        boolean blocked = !p.blocked().isEmpty();
        Set<CategoryGroup> actual = CategoryGroup.of(t.labels());
        Set<CategoryGroup> reported = CategoryGroup.of(p.blocked());
        binary = binary.add(t.harmful(), blocked);
        byStage.merge(t.stage(), Confusion.empty().add(t.harmful(), blocked), Evaluator::sum);
        if (t.harmful()) {
          harmful++;
          if (reported.stream().anyMatch(actual::contains)) {
            matched++;
          }
        }
        for (CategoryGroup g : present) {
          cat.put(g, cat.get(g).add(actual.contains(g), reported.contains(g)));
          if (actual.contains(g)) {
            long[] c = caught.get(g);
            c[1]++;
            if (blocked) {
              c[0]++;
            }
          }
        }
        long[] bySource =
            (t.harmful() ? harm : benign).computeIfAbsent(t.sourceFamily(), k -> new long[2]);
        bySource[1]++;
        if (blocked) {
          bySource[0]++;
        }
      }
      Map<CategoryGroup, Evaluation.CategoryResult> categories = new EnumMap<>(CategoryGroup.class);
      cat.forEach(
          (g, c) -> categories.put(g, new Evaluation.CategoryResult(c, rate(caught.get(g)))));
      Map<String, Rate> benignRates = new TreeMap<>();
      benign.forEach((k, v) -> benignRates.put(k, rate(v)));
      Map<String, Rate> harmRates = new TreeMap<>();
      harm.forEach((k, v) -> harmRates.put(k, rate(v)));
      results.add(
          new Evaluation.AgeResult(
              age,
              binary,
              byStage,
              new Rate(matched, harmful),
              categories,
              benignRates,
              harmRates));
    }
    return new Evaluation(
        filterName,
        filterVersion,
        policyVersion,
        selection,
        texts,
        results,
        new Evaluation.Throughput(chars, predictions.size(), nanos));
  }

  private static Rate rate(long[] successesAndTrials) {
    return new Rate(successesAndTrials[0], successesAndTrials[1]);
  }

  private static Confusion sum(Confusion a, Confusion b) {
    return new Confusion(a.tp() + b.tp(), a.fp() + b.fp(), a.fn() + b.fn(), a.tn() + b.tn());
  }
}
