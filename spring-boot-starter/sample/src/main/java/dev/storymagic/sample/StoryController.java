package dev.storymagic.sample;

import dev.storymagic.AgeGroup;
import dev.storymagic.FieldError;
import dev.storymagic.StoryMagicException;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryListener;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stories?theme=space&age=6-8} answers a story as JSON; {@code GET /stories/stream}
 * streams it as server-sent events: {@code text} events sentence by sentence (each already past
 * the safety filter), then one {@code story} event, or one {@code error} event.
 */
@RestController
class StoryController {
  /** Longest a stream stays open; above the pipeline's attempt timeout. */
  private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(3);

  private final StoryMagic magic;

  StoryController(StoryMagic magic) {
    this.magic = magic;
  }

  @GetMapping(path = "/stories", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> generate(@RequestParam String theme, @RequestParam(defaultValue = "6-8") String age,
      @RequestParam(required = false) String character, @RequestParam(defaultValue = "short") String length) {
    return summary(magic.generate(request(theme, age, character, length)));
  }

  @GetMapping(path = "/stories/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream(@RequestParam String theme, @RequestParam(defaultValue = "6-8") String age,
      @RequestParam(required = false) String character, @RequestParam(defaultValue = "short") String length) {
    StoryRequest request = request(theme, age, character, length);
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
    AtomicBoolean gone = new AtomicBoolean();
    emitter.onCompletion(() -> gone.set(true));
    emitter.onTimeout(() -> gone.set(true));
    emitter.onError(e -> gone.set(true));
    magic.stream(request, new StoryListener() {
      @Override
      public void onText(String text) {
        send(SseEmitter.event().name("text").data(text));
      }

      @Override
      public void onComplete(Story story) {
        send(SseEmitter.event().name("story").data(summary(story), MediaType.APPLICATION_JSON));
        emitter.complete();
      }

      @Override
      public void onError(StoryMagicException error) {
        send(SseEmitter.event().name("error").data(Map.of("code", error.code(), "message", error.getMessage()),
            MediaType.APPLICATION_JSON));
        emitter.complete();
      }

      @Override
      public boolean isCancelled() {
        return gone.get(); // the client went away: the pipeline cancels the model call
      }

      private void send(SseEmitter.SseEventBuilder event) {
        try {
          emitter.send(event);
        } catch (IOException | IllegalStateException e) {
          gone.set(true);
        }
      }
    });
    return emitter;
  }

  @ExceptionHandler(StoryMagicException.InvalidRequest.class)
  ResponseEntity<Map<String, Object>> invalid(StoryMagicException.InvalidRequest e) {
    List<Map<String, String>> errors = e.errors().stream()
        .map((FieldError f) -> Map.of("field", f.field(), "message", f.message())).toList();
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("code", e.code(), "errors", errors));
  }

  private StoryRequest request(String theme, String age, String character, String length) {
    StoryRequest.Builder b = StoryRequest.builder().theme(theme);
    AgeGroup.parse(age).ifPresent(b::ageGroup);
    StoryLength.parse(length).ifPresent(b::length);
    if (character != null && !character.isBlank()) {
      int colon = character.indexOf(':');
      b.character(colon < 0 ? character.strip() : character.substring(0, colon).strip(),
          colon < 0 ? "" : character.substring(colon + 1).strip());
    }
    StoryRequest request = b.build();
    List<FieldError> errors = new java.util.ArrayList<>(magic.validate(request));
    if (AgeGroup.parse(age).isEmpty()) {
      errors.add(new FieldError("age", "must be one of 3-5, 6-8, 9-12"));
    }
    if (StoryLength.parse(length).isEmpty()) {
      errors.add(new FieldError("length", "must be short, medium or long"));
    }
    if (!errors.isEmpty()) {
      throw new StoryMagicException.InvalidRequest(errors);
    }
    return request;
  }

  private static Map<String, Object> summary(Story story) {
    return Map.of("id", story.id(), "title", story.title(), "text", story.text(), "model", story.model(),
        "words", story.wordCount(), "cache", story.cacheTier().name().toLowerCase(java.util.Locale.ROOT));
  }
}
