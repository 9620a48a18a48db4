package dev.storymagic.openai;

import dev.storymagic.openai.internal.RemoteVerdicts;
import dev.storymagic.openai.internal.VerdictCalls;
import dev.storymagic.spi.SafetyFilter;

/**
 * What both remote safety filters ({@link OpenAiModerationFilter}, {@link LlamaGuardFilter}) are
 * made of besides their requests and answers: the judging model, the calls, the verdict cache with
 * its outage policy, and the name their findings report. Not incremental: the pipeline runs them on
 * whole stories, not on each streamed sentence. Not API.
 *
 * @param <T> what the filter reads from one answer
 */
abstract class RemoteFilter<T> implements SafetyFilter, AutoCloseable {
  private final String source;
  final String model;
  final VerdictCalls calls;
  final RemoteVerdicts<T> verdicts;

  RemoteFilter(RemoteFilterBuilder<?> b, String source, VerdictCalls calls) {
    this.source = source;
    this.model = b.model;
    this.calls = calls;
    this.verdicts = b.verdicts(source);
  }

  @Override
  public boolean incremental() {
    return false;
  }

  @Override
  public String name() {
    return source;
  }

  /** Releases this filter's share of the connection pool. Idempotent. */
  @Override
  public void close() {
    calls.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + model + ", " + calls + "}";
  }
}
