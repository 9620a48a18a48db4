package dev.storymagic.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.StoryMagicException;
import dev.storymagic.testing.RecordingStreamListener;
import org.junit.jupiter.api.Test;

/**
 * {@link StoryModelContract} plus what a model behind a provider does with the provider's failures:
 * transient ones (server errors, an unreachable or cut-off provider) are {@link
 * StoryMagicException.ModelUnavailable}s the pipeline retries, permanent ones (a bad request, a bad
 * key) are {@link StoryMagicException.ModelFailure}s it does not, for plain and streamed calls
 * alike, and a failed stream ends once, by throwing.
 */
public abstract class RemoteStoryModelContract extends StoryModelContract {
  /** From now on the provider answers every call with this HTTP status and an error body. */
  protected abstract void providerAnswers(int httpStatus);

  /** From now on the provider starts a stream, sends a few chunks and drops the connection. */
  protected abstract void providerCutsStreamsShort();

  @Test
  void serverErrorIsUnavailable() {
    providerAnswers(503);
    assertThatThrownBy(() -> model().generate(request()))
        .isInstanceOf(StoryMagicException.ModelUnavailable.class);
    providerAnswers(500);
    assertThatThrownBy(() -> model().generate(request()))
        .isInstanceOf(StoryMagicException.ModelUnavailable.class);
  }

  @Test
  void badRequestAndBadKeyAreFailures() {
    providerAnswers(400);
    assertThatThrownBy(() -> model().generate(request()))
        .isInstanceOf(StoryMagicException.ModelFailure.class);
    providerAnswers(401);
    assertThatThrownBy(() -> model().generate(request()))
        .isInstanceOf(StoryMagicException.ModelFailure.class);
  }

  @Test
  void streamThatFailsBeforeAnyTextThrowsOnceAndDeliversNothing() {
    providerAnswers(503);
    RecordingStreamListener unavailable = RecordingStreamListener.create();
    assertThatThrownBy(() -> stream(model(), request(), unavailable))
        .isInstanceOf(StoryMagicException.ModelUnavailable.class);
    assertThat(unavailable.deltas()).isEmpty();
    providerAnswers(401);
    RecordingStreamListener refused = RecordingStreamListener.create();
    assertThatThrownBy(() -> stream(model(), request(), refused))
        .isInstanceOf(StoryMagicException.ModelFailure.class);
    assertThat(refused.deltas()).isEmpty();
    assertThat(unavailable.lateCallbacks() + refused.lateCallbacks()).isZero();
  }

  @Test
  void streamCutShortThrowsAnSdkExceptionAndNothingAfter() {
    providerCutsStreamsShort();
    RecordingStreamListener listener = RecordingStreamListener.create();
    assertThatThrownBy(() -> stream(model(), request(), listener))
        .isInstanceOf(StoryMagicException.class);
    assertThat(listener.lateCallbacks()).isZero();
  }
}
