package dev.storymagic;

import java.util.List;
import java.util.stream.Collectors;

/** The request has bad fields; {@link #errors()} lists every one of them. */
public final class InvalidStoryRequestException extends StoryMagicException {
  private final List<FieldError> errors;

  public InvalidStoryRequestException(List<FieldError> errors) {
    super(
        "invalid story request: "
            + errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; ")),
        null);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid request needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  @Override
  public String code() {
    return "invalid_request";
  }
}
