package dev.storymagic.openai.internal;

import dev.storymagic.AgeGroup;
import dev.storymagic.AssetKind;
import dev.storymagic.internal.art.Look;
import dev.storymagic.internal.art.ScenePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt for one picture, from a {@link ScenePlan}: the theme's place, day or night, the props
 * and the characters' looks, every word from the plan's fixed tables. No names and no free text
 * from the request reach it, so no personal data does; the prompt is moderated before it is sent.
 */
public final class PicturePrompts {
  /** Bump when the wording changes: it is part of the pictures' cache key. */
  public static final String VERSION = "image-prompt-1";

  private PicturePrompts() {}

  public static String of(ScenePlan plan, AgeGroup ageGroup) {
    StringBuilder b = new StringBuilder(600);
    b.append("A gentle, colourful picture-book illustration for children aged ")
        .append(ageGroup.label())
        .append(". ");
    b.append(
        plan.kind() == AssetKind.COVER
            ? "The cover picture of the story. "
            : "Scene " + plan.index() + " of the story. ");
    b.append("The setting: ")
        .append(plan.place())
        .append(plan.night() ? ", at night under a calm sky" : ", in soft daylight")
        .append(". ");
    List<String> things = new ArrayList<>();
    for (ScenePlan.Prop p : plan.props()) {
      things.add(p.words());
    }
    if (!things.isEmpty()) {
      b.append("In the picture: ").append(String.join(", ", things)).append(". ");
    }
    if (!plan.looks().isEmpty()) {
      List<String> who = new ArrayList<>();
      for (Look l : plan.looks()) {
        who.add(l.words());
      }
      b.append("The characters: ")
          .append(String.join(", ", who))
          .append(", smiling and friendly. ");
    }
    b.append(
        "Rounded shapes, warm light, bright friendly colours. No text, letters or logos. Nothing scary, "
            + "no weapons, no injuries; every face kind.");
    return b.toString();
  }
}
