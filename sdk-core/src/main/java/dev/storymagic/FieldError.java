package dev.storymagic;

/**
 * One problem with one field of a request.
 *
 * @param field the field's path, such as {@code "characters[2].name"}
 * @param message what is wrong, naming the limit or the allowed values
 */
public record FieldError(String field, String message) {}
