package dev.storymagic.internal.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.SafetyCategory;
import dev.storymagic.spi.SafetyStage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SpelledEmailPrefilterTest {
  /**
   * The spelled-out e-mail expression PersonalDataScanner runs once the prefilter lets a text
   * through.
   */
  private static final Pattern SPELLED_EMAIL =
      Pattern.compile(
          "\\b[a-z0-9._-]{2,64}\\s*(?:\\(at\\)|\\[at\\]|\\{at\\}|\\sat\\s)\\s*[a-z0-9-]{2,63}\\s*"
              + "(?:\\(dot\\)|\\[dot\\]|\\{dot\\}|\\sdot\\s|\\.)\\s*(?:com|net|org|edu|gov|co|uk|io|de|fr|us|ca|au|info|me)\\b",
          Pattern.CASE_INSENSITIVE);

  private static List<SafetyScanner.Hit> inputHits(String text) {
    List<SafetyScanner.Hit> hits = new ArrayList<>();
    PersonalDataScanner.scan(text, SafetyStage.INPUT, hits);
    return hits;
  }

  @Test
  void spelledOutAddressesAreStillFound() {
    for (String text :
        List.of(
            "write to mia (at) example (dot) com",
            "mia [AT] example [dot] org",
            "mia{at}example.net please",
            "mia\tat\tschool dot com",
            "MIA AT EXAMPLE DOT COM")) {
      assertThat(PersonalDataScanner.mayHoldSpelledEmail(text)).as(text).isTrue();
      assertThat(inputHits(text))
          .as(text)
          .anySatisfy(h -> assertThat(h.category()).isEqualTo(SafetyCategory.PERSONAL_DATA));
    }
  }

  @Test
  void textWithoutAStandaloneAtSkipsTheExpression() {
    assertThat(
            PersonalDataScanner.mayHoldSpelledEmail(
                "a small friendly robot who beeps when he is happy"))
        .isFalse();
    assertThat(PersonalDataScanner.mayHoldSpelledEmail("the cat sat on a mat, attentive"))
        .isFalse();
    assertThat(PersonalDataScanner.mayHoldSpelledEmail("at home"))
        .isFalse(); // nothing can precede "at"
    assertThat(PersonalDataScanner.mayHoldSpelledEmail("")).isFalse();
    assertThat(PersonalDataScanner.mayHoldSpelledEmail("we met at noon")).isTrue();
  }

  @Test
  void wheneverTheExpressionMatchesThePrefilterLetsTheTextThrough() {
    // Addresses assembled from right and wrong parts, so both matches and near misses are common.
    String[] names = {"mia", "M1a", "a", "x_y", "", "(", "cat"};
    String[] ats = {
      " at ", " AT ", "(at)", "[At]", "{at}", "\tat\n", "at", " at", "@", " a t ", "\u000Bat\f"
    };
    String[] domains = {"example", "ex-ample", "e", "", " school"};
    String[] dots = {" dot ", "(dot)", "[DOT]", "{dot}", ".", "dot", " . "};
    String[] tlds = {"com", "org", "uk", "me", "xyz", "community", ""};
    String[] around = {"", " ", "write to ", "!", "\n", "at", "cat "};
    SplittableRandom random = new SplittableRandom(42);
    int matched = 0;
    int skipped = 0;
    for (int i = 0; i < 50_000; i++) {
      String text =
          pick(random, around)
              + pick(random, names)
              + pick(random, ats)
              + pick(random, domains)
              + pick(random, dots)
              + pick(random, tlds)
              + pick(random, around);
      boolean passes = PersonalDataScanner.mayHoldSpelledEmail(text);
      if (SPELLED_EMAIL.matcher(text).find()) {
        matched++;
        assertThat(passes)
            .as("prefilter on %s", text.chars().mapToObj(c -> String.format("U+%04X", c)).toList())
            .isTrue();
      } else if (!passes) {
        skipped++;
      }
    }
    assertThat(matched).as("texts the expression matched").isGreaterThan(1_000);
    assertThat(skipped).as("texts the prefilter spared the expression").isGreaterThan(1_000);
  }

  private static String pick(SplittableRandom random, String[] options) {
    return options[random.nextInt(options.length)];
  }
}
