package dev.storymagic.internal;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.WordBand;
import dev.storymagic.spi.ChatMessage;
import dev.storymagic.spi.Prompt;
import dev.storymagic.spi.PromptTemplates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders a request into a {@link Prompt} with the configured templates. */
public final class PromptRenderer {
  private static final String NONE = "(none given)";

  private final PromptTemplates templates;

  public PromptRenderer(PromptTemplates templates) {
    this.templates = templates;
  }

  /**
   * Renders the prompt. {@code rejected} names the categories an earlier draft was rejected for;
   * when non-empty the stricter instructions are added to the system message.
   */
  public Prompt render(
      StoryRequest request, Theme theme, WordBand band, Set<SafetyCategory> rejected) {
    AgeGroup age = request.ageGroup();
    Map<String, String> values = new HashMap<>();
    values.put("age_label", age.label());
    values.put("age_rules", ageRules(age));
    values.put("min_age", Integer.toString(age.minAge()));
    values.put("max_age", Integer.toString(age.maxAge()));
    values.put("sentence_words", Integer.toString(age.targetSentenceWords()));
    values.put("word_min", Integer.toString(band.min()));
    values.put("word_max", Integer.toString(band.max()));
    values.put("theme_name", theme.displayName());
    values.put("theme_guidance", theme.promptGuidance());
    values.put("language", UserText.sanitize(request.language(), 20));
    values.put(
        "extra_rules",
        rejected.isEmpty()
            ? ""
            : templates.render(
                PromptTemplates.Part.STRICTER,
                Map.of(
                    "rejected_categories",
                    rejected.stream()
                        .map(SafetyCategory::label)
                        .sorted()
                        .collect(Collectors.joining(", ")))));
    values.put("characters", characters(request.characters()));
    values.put(
        "setting",
        request
            .setting()
            .map(s -> UserText.quote(s, StoryRequest.MAX_SETTING_LENGTH))
            .orElse(NONE));
    values.put(
        "moral",
        request.moral().map(s -> UserText.quote(s, StoryRequest.MAX_MORAL_LENGTH)).orElse(NONE));
    values.put(
        "idea",
        request.idea().map(s -> UserText.quote(s, StoryRequest.MAX_IDEA_LENGTH)).orElse(NONE));
    return new Prompt(
        List.of(
            new ChatMessage(
                ChatMessage.Role.SYSTEM, templates.render(PromptTemplates.Part.SYSTEM, values)),
            new ChatMessage(
                ChatMessage.Role.USER, templates.render(PromptTemplates.Part.USER, values))),
        templates.version());
  }

  private static String characters(List<StoryCharacter> characters) {
    if (characters.isEmpty()) {
      return "- " + NONE + ": invent one or two friendly characters.";
    }
    StringBuilder out = new StringBuilder();
    for (StoryCharacter c : characters) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append("- name: ").append(UserText.quote(c.name(), StoryCharacter.MAX_NAME_LENGTH));
      if (!c.description().isBlank()) {
        out.append(", description: ")
            .append(UserText.quote(c.description(), StoryCharacter.MAX_DESCRIPTION_LENGTH));
      }
    }
    return out.toString();
  }

  private static String ageRules(AgeGroup age) {
    switch (age) {
      case AGES_3_5:
        return "very simple words, short sentences, gentle repetition, warm and cosy; nothing even slightly scary.";
      case AGES_6_8:
        return "simple words, a little adventure, small problems solved with kindness and cleverness; nothing frightening.";
      default:
        return "richer vocabulary, a real challenge and some suspense, solved without anyone being hurt.";
    }
  }
}
