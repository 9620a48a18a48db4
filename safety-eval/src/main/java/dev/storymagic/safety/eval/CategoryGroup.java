package dev.storymagic.safety.eval;

import dev.storymagic.SafetyCategory;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The level at which the harness compares categories: a label and a finding match when they fall in
 * the same group. A filter that reports {@code violence/graphic} for a text labelled {@code
 * violence} has named the right harm; the public data rarely labels sub-categories, so figures per
 * sub-category would mostly measure the data, not the filter.
 */
public enum CategoryGroup {
  SEXUAL,
  HATE,
  HARASSMENT,
  VIOLENCE,
  SELF_HARM,
  ILLICIT,
  PROFANITY,
  PERSONAL_DATA,
  FRIGHTENING,
  PROMPT_INJECTION,
  UNVERIFIED;

  public static CategoryGroup of(SafetyCategory c) {
    return switch (c) {
      case SEXUAL, SEXUAL_MINORS -> SEXUAL;
      case HATE, HATE_THREATENING -> HATE;
      case HARASSMENT, HARASSMENT_THREATENING -> HARASSMENT;
      case VIOLENCE, VIOLENCE_GRAPHIC -> VIOLENCE;
      case SELF_HARM, SELF_HARM_INTENT, SELF_HARM_INSTRUCTIONS -> SELF_HARM;
      case ILLICIT, ILLICIT_VIOLENT -> ILLICIT;
      case PROFANITY -> PROFANITY;
      case PERSONAL_DATA -> PERSONAL_DATA;
      case FRIGHTENING -> FRIGHTENING;
      case PROMPT_INJECTION -> PROMPT_INJECTION;
      case UNVERIFIED -> UNVERIFIED;
    };
  }

  public static Set<CategoryGroup> of(Set<SafetyCategory> categories) {
    Set<CategoryGroup> groups = EnumSet.noneOf(CategoryGroup.class);
    for (SafetyCategory c : categories) {
      groups.add(of(c));
    }
    return groups;
  }

  /** The label of the group's parent category, such as {@code "self-harm"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
