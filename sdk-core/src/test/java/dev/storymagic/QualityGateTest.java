package dev.storymagic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.testing.SampleStories;
import dev.storymagic.testing.ScriptedStoryModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hard quality failures regenerate and then fail, never stored or cached; soft misses are flagged.
 */
class QualityGateTest {
  private static final String JSON_STORY =
      "{\"title\": \"Mia and the Star\", \"paragraphs\": [\"Mia looked up at the sky and saw a star.\"]}";
  private static final String SPANISH =
      "Mia miró el cielo y vio una estrella muy pequeña que brillaba sola. "
          + "La estrella estaba triste porque no tenía amigos en el cielo. Mia y su robot construyeron una escalera "
          + "con la luz de la luna y subieron para ayudar a la estrella. Al final la estrella volvió a su casa y "
          + "todos compartieron el chocolate caliente con ella. Era una noche muy feliz para todos.";

  private static String words(int n) {
    StringBuilder b = new StringBuilder();
    String[] cycle = {"Mia", "ran", "to", "the", "park", "and", "played", "with", "her", "dog."};
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(cycle[i % cycle.length]);
    }
    return b.toString();
  }

  private static StoryMagic magic(StoryModel model, StoryStore store) {
    return StoryMagic.builder()
        .model(model)
        .safety(SafetyFilter.passThrough())
        .store(store)
        .build();
  }

  @Test
  void aStoryWithoutTitleIsRegeneratedAndTheRetryIsReturned() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenText("", words(200));
    try (StoryMagic magic = magic(model, InMemoryStoryStore.create())) {
      Story story = magic.generate(SampleStories.request());
      assertThat(story.title()).isNotBlank();
      assertThat(story.attempts()).isEqualTo(2);
      assertThat(model.calls()).isEqualTo(2);
    }
  }

  @Test
  void everyAttemptUnusableFailsWithEveryProblemNamedAndNothingIsStoredOrCached() {
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(r -> ScriptedStoryModel.response("", List.of("Hello.")));
    InMemoryStoryStore store = InMemoryStoryStore.create();
    try (StoryMagic magic = magic(model, store)) {
      StoryRequest request = SampleStories.request().withOwner("u1");
      assertThatThrownBy(() -> magic.generate(request))
          .isInstanceOfSatisfying(
              StoryMagicException.ModelFailure.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(StoryMagicException.ModelFailure.Reason.UNUSABLE_STORY))
          .hasMessageContaining("wrote no usable story in 3 attempts")
          .hasMessageContaining("title: the story has no title")
          .hasMessageContaining("length: only 1 words, under half of the requested 150-300 words");
      assertThat(model.calls()).isEqualTo(3);
      assertThatThrownBy(() -> magic.generate(request))
          .isInstanceOf(StoryMagicException.ModelFailure.class);
      assertThat(model.calls()).as("a failure is never cached").isEqualTo(6);
      assertThat(store.list("u1", java.util.Optional.empty(), 10).stories()).isEmpty();
    }
  }

  @Test
  void jsonShownAsAParagraphIsAHardFailure() {
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(
            r -> ScriptedStoryModel.response("Mia", List.of(JSON_STORY + " " + words(150))));
    try (StoryMagic magic = magic(model, InMemoryStoryStore.create())) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.ModelFailure.class)
          .hasMessageContaining("structure: the text is JSON");
    }
  }

  @Test
  void aStoryInAnotherLanguageThanRequestedIsAHardFailure() {
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(
            r -> ScriptedStoryModel.response("La estrella", List.of(SPANISH, SPANISH, SPANISH)));
    try (StoryMagic magic = magic(model, InMemoryStoryStore.create())) {
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.ModelFailure.class)
          .hasMessageContaining("language: the text reads as 'es', not the requested 'en'");
      Story spanish = magic.generate(SampleStories.request().toBuilder().language("es").build());
      assertThat(spanish.title()).isEqualTo("La estrella");
    }
  }

  @Test
  void theOfflineEngineRefusesOtherLanguagesAndWritesEnglishForEnglishTags() {
    try (StoryMagic magic = StoryMagic.builder().build()) {
      Story story = magic.generate(SampleStories.request().toBuilder().language("en-GB").build());
      assertThat(story.text()).contains("Mia");
      assertThatThrownBy(
              () -> magic.generate(SampleStories.request().toBuilder().language("de").build()))
          .isInstanceOf(StoryMagicException.InvalidRequest.class)
          .hasMessageContaining("English only");
    }
  }

  @Test
  void aSoftMissIsReturnedAndFlagged() {
    ScriptedStoryModel model = ScriptedStoryModel.safe().thenText("Mia at the Park", words(100));
    try (StoryMagic magic = magic(model, InMemoryStoryStore.create())) {
      Story story = magic.generate(SampleStories.request());
      assertThat(story.quality().passed()).isFalse();
      assertThat(story.quality().problems())
          .anyMatch(p -> p.startsWith("word count 100 is outside 150-300 words"));
      assertThat(model.calls()).isEqualTo(1);
    }
  }

  @Test
  void aStreamedJsonAnswerIsNeverShownAndIsRegenerated() throws Exception {
    ScriptedStoryModel model =
        ScriptedStoryModel.safe().thenText("", JSON_STORY + "\n\n" + words(150));
    List<String> shown = new CopyOnWriteArrayList<>();
    try (StoryMagic magic = magic(model, InMemoryStoryStore.create())) {
      Story story =
          magic.stream(SampleStories.request(), collector(shown, new CompletableFuture<>()))
              .get(10, TimeUnit.SECONDS);
      assertThat(String.join("", shown)).doesNotContain("{").doesNotContain("paragraphs");
      assertThat(story.attempts()).isEqualTo(2);
      assertThat(story.title()).isEqualTo("Mia and the Map");
    }
  }

  @Test
  void aStreamedOneWordStoryEndsInAnErrorAndIsNotCached() throws Exception {
    ScriptedStoryModel model =
        ScriptedStoryModel.answering(r -> ScriptedStoryModel.response("Hi", List.of("Hello.")));
    CompletableFuture<StoryMagicException> error = new CompletableFuture<>();
    try (StoryMagic magic = magic(model, InMemoryStoryStore.create())) {
      CompletableFuture<Story> future =
          magic.stream(SampleStories.request(), collector(new CopyOnWriteArrayList<>(), error));
      assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoryMagicException.ModelFailure.class);
      assertThat(error.get(1, TimeUnit.SECONDS)).hasMessageContaining("length: only 1 words");
      assertThatThrownBy(() -> magic.generate(SampleStories.request()))
          .isInstanceOf(StoryMagicException.ModelFailure.class);
      assertThat(model.calls()).as("the streamed failure was not cached").isGreaterThan(1);
    }
  }

  private static StoryListener collector(
      List<String> shown, CompletableFuture<StoryMagicException> error) {
    return new StoryListener() {
      @Override
      public void onText(String text) {
        shown.add(text);
      }

      @Override
      public void onComplete(Story story) {}

      @Override
      public void onError(StoryMagicException e) {
        error.complete(e);
      }
    };
  }
}
