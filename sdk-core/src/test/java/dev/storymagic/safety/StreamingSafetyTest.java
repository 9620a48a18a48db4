package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.SafetyCategory;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.spi.ModelRequest;
import dev.storymagic.spi.ModelResponse;
import dev.storymagic.spi.ModelStreamListener;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.testing.RecordingStoryListener;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Streaming: each sentence reaches the listener only after it passed the local classifier. */
class StreamingSafetyTest {
  private static final String SAFE_1 = "Mia found a shiny shell on the beach. ";
  private static final String SAFE_2 = "She showed it to Bolt, and they both smiled. ";
  private static final String UNSAFE = "Then the pirate stabbed the sailor to death. ";
  private static final String SAFE_3 = "They took the shell home and put it by the window. ";

  /** Enough more words that the story is not too short to be usable. */
  private static final String TAIL = "The waves rolled in and out. ".repeat(14);

  /** Streams each attempt's sentences as separate deltas, like a remote model. */
  static final class SentenceStreamingModel implements StoryModel {
    private final List<List<String>> attempts;
    final AtomicInteger calls = new AtomicInteger();
    final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

    SentenceStreamingModel(List<List<String>> attempts) {
      this.attempts = attempts;
    }

    @Override
    public String id() {
      return "sentence-stream-1";
    }

    @Override
    public ModelResponse generate(ModelRequest request) {
      throw new AssertionError("the streaming path must call stream()");
    }

    @Override
    public ModelResponse stream(ModelRequest request, ModelStreamListener listener) {
      int call = calls.getAndIncrement();
      requests.add(request);
      List<String> sentences = attempts.get(Math.min(call, attempts.size() - 1));
      listener.onTitle("The Shell");
      StringBuilder body = new StringBuilder();
      for (String sentence : sentences) {
        if (listener.isCancelled()) {
          break;
        }
        listener.onDelta(sentence);
        body.append(sentence);
      }
      return ScriptedStoryModel.response("The Shell", List.of(body.toString().strip()));
    }
  }

  @Test
  void aViolationMidStreamEndsTheStreamWithAnErrorAndNeverDeliversTheUnsafeSentence()
      throws Exception {
    SentenceStreamingModel model =
        new SentenceStreamingModel(List.of(List.of(SAFE_1, SAFE_2, UNSAFE, SAFE_3)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordingStoryListener listener = new RecordingStoryListener();
    try (StoryMagic magic = StoryMagic.builder().model(model).meterRegistry(registry).build()) {
      CompletableFuture<Story> future = magic.stream(SampleStories.request(), listener);
      assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoryMagicException.UnsafeOutput.class);
    }
    assertThat(listener.shown()).isEqualTo(SAFE_1 + SAFE_2);
    assertThat(listener.shown()).doesNotContain("stabbed");
    assertThat(listener.completed()).isEmpty();
    assertThat(listener.endings()).isEqualTo(1);
    assertThat(listener.errors())
        .singleElement()
        .isInstanceOfSatisfying(
            StoryMagicException.UnsafeOutput.class,
            e -> assertThat(e.violationTypes()).contains(SafetyCategory.VIOLENCE));
    // Text was already shown, so no other story may follow it.
    assertThat(model.calls).hasValue(1);
    assertThat(
            registry
                .get("content_safety_violations")
                .tags("violation_type", "violence", "stage", "output")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anUnsafeFirstSentenceIsRegeneratedBeforeAnythingIsShown() throws Exception {
    SentenceStreamingModel model =
        new SentenceStreamingModel(
            List.of(List.of(UNSAFE, SAFE_1), List.of(SAFE_1, SAFE_2, SAFE_3, TAIL)));
    RecordingStoryListener listener = new RecordingStoryListener();
    Story story;
    try (StoryMagic magic = StoryMagic.builder().model(model).build()) {
      story = magic.stream(SampleStories.request(), listener).get(10, TimeUnit.SECONDS);
    }
    assertThat(model.calls).hasValue(2);
    assertThat(listener.shown()).isEqualTo(SAFE_1 + SAFE_2 + SAFE_3 + TAIL);
    assertThat(listener.errors()).isEmpty();
    assertThat(listener.completed()).singleElement().isSameAs(story);
    assertThat(listener.endings()).isEqualTo(1);
    assertThat(story.attempts()).isEqualTo(2);
    assertThat(model.requests.get(1).prompt().messages().get(0).content())
        .contains("an earlier draft was rejected as unsuitable (violence)");
  }

  @Test
  void theFinalVerdictIsPartOfTheCompletion() throws Exception {
    SentenceStreamingModel model =
        new SentenceStreamingModel(List.of(List.of(SAFE_1, SAFE_2, SAFE_3, TAIL)));
    RecordingStoryListener listener = new RecordingStoryListener();
    Story story;
    try (StoryMagic magic = StoryMagic.builder().model(model).build()) {
      story = magic.stream(SampleStories.request(), listener).get(10, TimeUnit.SECONDS);
    }
    assertThat(listener.texts()).startsWith(SAFE_1, SAFE_2, SAFE_3);
    assertThat(listener.shown()).isEqualTo(SAFE_1 + SAFE_2 + SAFE_3 + TAIL);
    assertThat(story.safety().allowed()).isTrue();
    assertThat(story.safety().policyVersion())
        .isEqualTo(dev.storymagic.SafetyPolicy.DEFAULT_VERSION);
    assertThat(listener.completed())
        .singleElement()
        .satisfies(s -> assertThat(s.safety()).isEqualTo(story.safety()));
  }

  @Test
  void sentencesAreReleasedOnlyOnceComplete() throws Exception {
    List<String> pieces = new ArrayList<>();
    for (String word : (SAFE_1 + SAFE_2).split("(?<= )")) {
      pieces.add(word);
    }
    pieces.add(TAIL);
    SentenceStreamingModel model = new SentenceStreamingModel(List.of(pieces));
    RecordingStoryListener listener = new RecordingStoryListener();
    try (StoryMagic magic = StoryMagic.builder().model(model).build()) {
      magic.stream(SampleStories.request(), listener).get(10, TimeUnit.SECONDS);
    }
    assertThat(listener.texts()).startsWith(SAFE_1, SAFE_2);
  }
}
