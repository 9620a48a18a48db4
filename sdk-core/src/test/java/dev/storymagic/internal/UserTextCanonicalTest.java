package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UserTextCanonicalTest {
  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cf}\\p{Co}\\p{Cn}]");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /**
   * The canonical form spelled out: NFKC, invisible characters dropped, whitespace collapsed,
   * stripped.
   */
  private static String reference(String raw) {
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    s = INVISIBLE.matcher(s).replaceAll("");
    return WHITESPACE.matcher(s).replaceAll(" ").strip();
  }

  @Test
  void alreadyCanonicalAsciiIsReturnedAsItIs() {
    String description = "a small friendly robot who beeps when he is happy!";

    assertThat(UserText.canonical(description)).isSameAs(description);
    assertThat(UserText.canonical("")).isEmpty();
  }

  @Test
  void textThatNeedsNormalisingIsStillNormalised() {
    assertThat(UserText.canonical("  Mia   the\tbrave \n")).isEqualTo("Mia the brave");
    assertThat(UserText.canonical("\uFF2D\uFF49\uFF41")).isEqualTo("Mia"); // full-width letters
    assertThat(UserText.canonical("Mi\u200Ba")).isEqualTo("Mia"); // zero-width space
    assertThat(UserText.canonical("cafe\u0301")).isEqualTo("caf\u00e9"); // combining accent
    assertThat(UserText.canonical("sea\u00A0star")).isEqualTo("sea star"); // no-break space
    assertThat(UserText.canonical("bell\u0007")).isEqualTo("bell\u0007"); // controls are kept
  }

  @Test
  void fastPathAgreesWithTheFullNormalisationOnMixedText() {
    char[] alphabet = {
      'a', 'Z', '7', '~', '{', ' ', ' ', '\t', '\n', '\u0001', '\u007f', '\u00a0', '\u00e9',
      '\u200b', '\ufb01', '\uff41', '\u0301'
    };
    SplittableRandom random = new SplittableRandom(8);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(12);
      // Mostly plain ASCII, so both the fast and the slow path are taken often.
      int range = random.nextInt(4) == 0 ? alphabet.length : 6;
      for (int j = 0; j < length; j++) {
        s.append(alphabet[random.nextInt(range)]);
      }
      String raw = s.toString();
      assertThat(UserText.canonical(raw))
          .as(
              "canonical form of %s",
              raw.chars().mapToObj(c -> String.format("U+%04X", c)).toList())
          .isEqualTo(reference(raw));
    }
  }

  @Test
  void onlyPrintableSingleSpacedAsciiCountsAsCanonical() {
    assertThat(UserText.isCanonicalAscii("Mia and Bolt")).isTrue();
    assertThat(UserText.isCanonicalAscii(" Mia")).isFalse();
    assertThat(UserText.isCanonicalAscii("Mia ")).isFalse();
    assertThat(UserText.isCanonicalAscii("Mia  Bolt")).isFalse();
    assertThat(UserText.isCanonicalAscii("Mia\tBolt")).isFalse();
    assertThat(UserText.isCanonicalAscii("Mia\u007f")).isFalse();
    assertThat(UserText.isCanonicalAscii("Mi\u00e9")).isFalse();
  }
}
