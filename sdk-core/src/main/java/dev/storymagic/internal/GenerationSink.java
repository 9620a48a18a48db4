package dev.storymagic.internal;

import dev.storymagic.SafetyVerdict;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.SafetyContext;
import dev.storymagic.spi.SafetyFilter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where the text of a generation attempt goes: {@link #collecting collected} whole and judged
 * whole, or {@link #forwarding forwarded} sentence by sentence to a listener as the incremental
 * safety filters pass it. The pipeline's one generation loop runs attempts through a sink and
 * decides, from what each attempt reports, whether to keep the story, regenerate, or fail.
 */
interface GenerationSink {

  /** Calls the model once. */
  Attempt attempt(ModelRequest request, AtomicInteger calls);

  /** One model call, as the generation loop sees it. */
  interface Attempt {
    /** The model's answer; empty only when the sink cut the answer short on a safety violation. */
    Optional<ModelResponse> response();

    /** Whether the text is already known to be blocked (then its quality does not matter). */
    boolean blocked();

    /** Lets the rest of an accepted answer through to the caller. */
    void finish();

    /** The whole answer's safety verdict, after {@link #finish()}. */
    SafetyVerdict verdict();

    /** Whether any of the text has reached the caller: no other story may follow it then. */
    boolean released();

    /** Time spent in the model call. */
    long modelNanos();
  }

  /** A sink that takes the whole answer at once and judges it with {@code judge} as it arrives. */
  static GenerationSink collecting(
      ResilientModel model, Function<ModelResponse, SafetyVerdict> judge) {
    return (request, calls) -> {
      long t0 = System.nanoTime();
      ModelResponse response = model.generate(request, calls);
      long nanos = System.nanoTime() - t0;
      return new Collected(response, judge.apply(response), nanos);
    };
  }

  /**
   * A sink that streams the answer to {@code listener} through a {@link SentenceGate}: each
   * sentence is released once the incremental filters pass it. A violation found on the way stops
   * the model; it is handed to {@code violation} (to count and audit); otherwise the whole answer
   * is judged by {@code judge} (every filter, remote ones included) once the last sentence is
   * through.
   */
  static GenerationSink forwarding(
      ResilientModel model,
      List<SafetyFilter> incrementalFilters,
      SafetyContext context,
      StoryListener listener,
      Function<ModelResponse, SafetyVerdict> judge,
      Consumer<SafetyVerdict> violation) {
    return (request, calls) -> {
      SentenceGate gate = new SentenceGate(incrementalFilters, context, listener);
      long t0 = System.nanoTime();
      ModelResponse response;
      try {
        response = model.stream(request, gate, gate::released, calls);
      } catch (StoryMagicException.Cancelled e) {
        if (gate.violation() == null) {
          throw e;
        }
        response = null;
      }
      return new Forwarded(
          gate, Optional.ofNullable(response), System.nanoTime() - t0, judge, violation);
    };
  }

  /** A whole answer, judged on arrival; nothing of it has reached the caller. */
  record Collected(ModelResponse answer, SafetyVerdict verdict, long modelNanos)
      implements Attempt {
    @Override
    public Optional<ModelResponse> response() {
      return Optional.of(answer);
    }

    @Override
    public boolean blocked() {
      return verdict.blocked();
    }

    @Override
    public void finish() {}

    @Override
    public boolean released() {
      return false;
    }
  }

  /** A streamed answer behind its gate. */
  final class Forwarded implements Attempt {
    private final SentenceGate gate;
    private final Optional<ModelResponse> response;
    private final long modelNanos;
    private final Function<ModelResponse, SafetyVerdict> judge;
    private final Consumer<SafetyVerdict> violation;

    Forwarded(
        SentenceGate gate,
        Optional<ModelResponse> response,
        long modelNanos,
        Function<ModelResponse, SafetyVerdict> judge,
        Consumer<SafetyVerdict> violation) {
      this.gate = gate;
      this.response = response;
      this.modelNanos = modelNanos;
      this.judge = judge;
      this.violation = violation;
    }

    @Override
    public Optional<ModelResponse> response() {
      return response;
    }

    @Override
    public boolean blocked() {
      return gate.violation() != null;
    }

    @Override
    public void finish() {
      gate.finish();
    }

    @Override
    public SafetyVerdict verdict() {
      SafetyVerdict found = gate.violation();
      if (found != null) {
        violation.accept(found);
        return found;
      }
      return judge.apply(response.orElseThrow());
    }

    @Override
    public boolean released() {
      return gate.released();
    }

    @Override
    public long modelNanos() {
      return modelNanos;
    }
  }
}
